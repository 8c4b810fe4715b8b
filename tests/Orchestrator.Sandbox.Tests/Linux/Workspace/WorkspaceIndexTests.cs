using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Linux.Workspace;
using Orchestrator.Sandbox.Tests.Helper;

namespace Orchestrator.Sandbox.Tests.Linux.Workspace;

/// <summary>One index over a real directory tree, kept current by inotify.</summary>
public sealed class WorkspaceIndexTests : IDisposable
{
    private readonly TemporaryDirectory _ws = new();
    private readonly TemporaryDirectory _elsewhere = new();

    private string P(string relative) => Path.Combine(_ws.Path, relative);

    private void Make(string relative, string content = "x")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(P(relative))!);
        if (!relative.EndsWith('/')) File.WriteAllText(P(relative), content);
    }

    private WorkspaceIndex Index() => new(_ws.Path, ProtectedPathSet.Create([_ws.Path]), entryLimit: 1_000_000);

    [Fact]
    public void Protected_paths_at_any_depth_are_found_and_their_insides_are_not_indexed()
    {
        Make(".git/hooks/pre-commit");
        Make("vendor/lib/.git/config");
        Make("src/deep/er/.vscode/tasks.json");
        Make("src/.envrc");
        Make("src/.git/.claude/settings.json");
        Make("src/main.c");

        using var index = Index();

        Assert.Equal([P(".git"), P("src/.envrc"), P("src/.git"), P("src/deep/er/.vscode"), P("vendor/lib/.git")],
            index.Protected.Select(e => e.Path).ToArray());
        Assert.Empty(index.Drain());
    }

    [Fact]
    public void A_protected_name_created_later_at_any_depth_is_found_by_the_next_drain()
    {
        Make("src/main.c");
        using var index = Index();

        Make("src/.vscode/tasks.json");
        Make("a/b/c/.envrc");
        var changes = index.Drain();

        Assert.Equal([P("a/b/c/.envrc"), P("src/.vscode")], changes.Where(c => c.Appeared).Select(c => c.Entry.Path).Order().ToArray());
        Assert.Contains(index.Protected, e => e.Path == P("src/.vscode"));
    }

    [Fact]
    public void A_directory_moved_in_is_scanned_and_one_moved_out_is_forgotten()
    {
        Make("keep/x");
        using var index = Index();
        var outside = Path.Combine(_elsewhere.Path, "repo");
        Directory.CreateDirectory(Path.Combine(outside, "nested/.git"));

        Directory.Move(outside, P("repo"));
        var arrived = index.Drain();
        Directory.Move(P("repo"), Path.Combine(_elsewhere.Path, "gone"));
        var left = index.Drain();

        Assert.Equal([P("repo/nested/.git")], arrived.Where(c => c.Appeared).Select(c => c.Entry.Path).ToArray());
        Assert.Equal([P("repo/nested/.git")], left.Where(c => !c.Appeared).Select(c => c.Entry.Path).ToArray());
        Assert.Empty(index.Protected);
    }

    [Fact]
    public void A_protected_link_records_where_it_leads()
    {
        Make("config/envrc");
        File.CreateSymbolicLink(P(".envrc"), P("config/envrc"));

        using var index = Index();

        var entry = Assert.Single(index.Protected);
        Assert.Equal(EntryKind.SymbolicLink, entry.Kind);
        Assert.Equal(P("config/envrc"), entry.LinkTarget);
    }

    [Fact]
    public void Read_deny_glob_matches_follow_the_tree()
    {
        Make(".env");
        Make("svc/a/.env");
        Make("svc/a/readme");
        using var index = Index();
        var patterns = new PatternSet([PathPattern.Parse("**/.env", new PathPatternBase(_ws.Path, _ws.Path, "/root")).Pattern!]);

        var before = index.MatchesOf(patterns).ToArray();
        Make("svc/b/.env");
        File.Delete(P(".env"));
        index.Drain();
        var after = index.MatchesOf(patterns).ToArray();

        Assert.Equal([P(".env"), P("svc/a/.env")], before);
        Assert.Equal([P("svc/a/.env"), P("svc/b/.env")], after);
    }

    [Fact]
    public void A_queue_overflow_is_answered_by_a_fresh_walk_that_still_finds_what_appeared()
    {
        Make("busy/");
        using var index = Index();
        var limit = int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_queued_events").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i <= limit; i++) File.Create(P($"busy/f{i}")).Dispose();
        Make("late/.git/config");

        var changes = index.Drain();

        Assert.Contains(changes, c => c.Appeared && c.Entry.Path == P("late/.git"));
        Make("later/.vscode/x");
        Assert.Contains(index.Drain(), c => c.Appeared && c.Entry.Path == P("later/.vscode"));
    }

    [Fact]
    public void A_tree_larger_than_the_limit_is_marked_truncated()
    {
        for (var i = 0; i < 20; i++) Make($"d{i}/f");

        using var index = new WorkspaceIndex(_ws.Path, ProtectedPathSet.Create([_ws.Path]), entryLimit: 10);

        Assert.True(index.Truncated);
    }

    public void Dispose()
    {
        _ws.Dispose();
        _elsewhere.Dispose();
    }
}
