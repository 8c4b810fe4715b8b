using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Linux.Workspace;
using Orchestrator.Sandbox.Tests.Helper;

namespace Orchestrator.Sandbox.Tests.Linux.Workspace;

/// <summary>Runs, attribution and undo: what the indexes tell runs and what they do when a protected path appears.</summary>
public sealed class WorkspaceIndexesTests : IDisposable
{
    private readonly TemporaryDirectory _ws = new();
    private readonly TemporaryDirectory _data = new();
    private readonly WorkspaceIndexes _indexes = new();
    private readonly Quarantine _quarantine;

    public WorkspaceIndexesTests() => _quarantine = new Quarantine(Path.Combine(_data.Path, "quarantine"));

    private string P(string relative) => Path.Combine(_ws.Path, relative);

    private SandboxProfile Profile(SandboxMode mode = SandboxMode.WorkspaceWrite, params string[] hiddenPatterns) => new()
    {
        Mode = mode,
        WritableRoots = [_ws.Path],
        ProtectedNames = ProtectedNames.Defaults,
        HiddenPatterns = [.. hiddenPatterns.Select(p => PathPattern.Parse(p, new PathPatternBase(_ws.Path, _ws.Path, "/root")).Pattern!)],
    };

    [Fact]
    public void A_run_learns_the_existing_protected_paths_and_read_deny_matches()
    {
        Directory.CreateDirectory(P("lib/.git"));
        File.WriteAllText(P("svc/.env".Replace("svc/", "")), "x");

        using var run = _indexes.Begin(Profile(hiddenPatterns: "**/.env"), _quarantine);

        Assert.Equal([P("lib/.git")], run.ExistingProtected.Select(e => e.Path).ToArray());
        Assert.Equal([P(".env")], run.HiddenMatches.ToArray());
    }

    [Fact]
    public void A_protected_path_created_during_two_runs_is_reported_in_both_and_moved_into_the_quarantine_once()
    {
        var first = _indexes.Begin(Profile(), _quarantine);
        var second = _indexes.Begin(Profile(), _quarantine);
        Directory.CreateDirectory(P("src/.vscode"));
        File.WriteAllText(P("src/.vscode/tasks.json"), "{}");
        File.WriteAllText(P("ordinary.txt"), "kept");

        var fromFirst = first.End();
        var fromSecond = second.End();

        var a = Assert.Single(fromFirst);
        var b = Assert.Single(fromSecond);
        Assert.Equal(P("src/.vscode"), a.Path);
        Assert.Equal(a.MovedTo, b.MovedTo);
        Assert.Equal(1, a.OtherRunsActive);
        Assert.False(Directory.Exists(P("src/.vscode")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(a.MovedTo!, "tasks.json")));
        Assert.Contains($"path: {P("src/.vscode")}", File.ReadAllText(Path.Combine(Path.GetDirectoryName(a.MovedTo!)!, "origin.txt")));
        Assert.Equal("kept", File.ReadAllText(P("ordinary.txt")));
    }

    [Fact]
    public void A_protected_path_created_while_no_run_is_going_on_is_the_users_and_stays()
    {
        _indexes.Begin(Profile(), _quarantine).End();
        Directory.CreateDirectory(P(".idea"));

        using var run = _indexes.Begin(Profile(), _quarantine);
        var created = run.End();

        Assert.Empty(created);
        Assert.True(Directory.Exists(P(".idea")));
        Assert.Contains(run.ExistingProtected, e => e.Path == P(".idea"));
    }

    [Fact]
    public void A_read_only_run_is_never_a_suspect()
    {
        var reading = _indexes.Begin(Profile(SandboxMode.ReadOnly), _quarantine);
        Directory.CreateDirectory(P(".codex"));

        Assert.Empty(reading.End());
        Assert.True(Directory.Exists(P(".codex")));
    }

    [Fact]
    public void Stubs_left_by_an_older_version_go_to_the_quarantine_at_first_use_and_real_files_stay()
    {
        File.WriteAllText(P(".git"), "");
        File.WriteAllText(P(".agents"), "");
        File.WriteAllText(P(".envrc"), "");
        File.SetUnixFileMode(P(".envrc"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.WriteAllText(P(".bashrc"), ""); // the user's own empty file: 0644
        File.WriteAllText(P(".profile"), "export A=1");
        File.SetUnixFileMode(P(".profile"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var run = _indexes.Begin(Profile(), _quarantine);

        Assert.Equal(3, run.Notices.Count);
        Assert.False(File.Exists(P(".git")));
        Assert.False(File.Exists(P(".agents")));
        Assert.False(File.Exists(P(".envrc")));
        Assert.True(File.Exists(P(".bashrc")));
        Assert.True(File.Exists(P(".profile")));
        Assert.Equal(3, Directory.GetDirectories(_quarantine.Directory).Length);
        Assert.DoesNotContain(run.ExistingProtected, e => e.Path == P(".git"));
    }

    [Fact]
    public void Beyond_the_index_limit_an_idle_index_is_dropped_and_rebuilt_when_needed_again()
    {
        using var other = new TemporaryDirectory();
        var indexes = new WorkspaceIndexes(maxIndexes: 1);
        SandboxProfile OtherProfile() => Profile() with { WritableRoots = [other.Path] };

        indexes.Begin(Profile(), _quarantine).End();
        indexes.Begin(OtherProfile(), _quarantine).End();   // drops the first
        var run = indexes.Begin(Profile(), _quarantine);      // rebuilds it
        Directory.CreateDirectory(P("pkg/.git"));

        Assert.Equal(P("pkg/.git"), Assert.Single(run.End()).Path);
        Assert.False(Directory.Exists(P("pkg/.git")));
    }

    public void Dispose()
    {
        _ws.Dispose();
        _data.Dispose();
    }
}
