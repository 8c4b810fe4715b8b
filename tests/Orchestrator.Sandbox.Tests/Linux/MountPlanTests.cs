using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Linux;
using Orchestrator.Sandbox.Linux.Mounts;
using Orchestrator.Sandbox.Linux.Workspace;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>The mounts one run needs, decided from the profile and what the indexes found (pure).</summary>
public sealed class MountPlanTests
{
    private const string Ws = "/home/a/ws";

    private static SandboxProfile Profile(SandboxMode mode = SandboxMode.WorkspaceWrite, string[]? hidden = null, string[]? roots = null,
        string[]? locations = null, string[]? hiddenPatterns = null) => new()
    {
        Mode = mode,
        WritableRoots = [.. roots ?? [Ws]],
        HiddenPaths = [.. hidden ?? []],
        ProtectedLocations = [.. locations ?? []],
        HiddenPatterns = [.. (hiddenPatterns ?? []).Select(p => PathPattern.Parse(p, new PathPatternBase(Ws, Ws, "/home/a")).Pattern!)],
    };

    private static ProtectedEntry Dir(string path) => new(path, EntryKind.Directory, null);

    private static MountPlan Plan(SandboxProfile profile, ProtectedEntry[]? existing = null, string[]? matches = null, string[]? exposed = null,
        Dictionary<string, string>? links = null, string cwd = Ws) =>
        MountPlan.For(profile, cwd, existing ?? [], matches ?? [], exposed ?? [], p => links?.GetValueOrDefault(p));

    [Fact]
    public void Existing_protected_paths_at_any_depth_are_bound_read_only_and_nested_ones_only_once()
    {
        var plan = Plan(Profile(), [Dir($"{Ws}/.git"), Dir($"{Ws}/vendor/lib/.git"), Dir($"{Ws}/src/.vscode")]);

        Assert.Equal([$"{Ws}/.git", $"{Ws}/src/.vscode", $"{Ws}/vendor/lib/.git"], plan.Ops.Select(o => o.Path).ToArray());
        Assert.All(plan.Ops, o => Assert.Equal(MountOpKind.Protect, o.Kind));
    }

    [Fact]
    public void A_protected_link_is_protected_where_it_leads_inside_the_writable_roots_only()
    {
        var plan = Plan(Profile(), [
            new ProtectedEntry($"{Ws}/.envrc", EntryKind.SymbolicLink, $"{Ws}/config/envrc"),
            new ProtectedEntry($"{Ws}/.claude", EntryKind.SymbolicLink, "/home/a/shared/claude"),
            new ProtectedEntry($"{Ws}/.idea", EntryKind.SymbolicLink, null),
        ]);

        Assert.Equal([new MountOp(MountOpKind.Protect, $"{Ws}/config/envrc")], plan.Ops.ToArray());
    }

    [Fact]
    public void Read_only_mode_protects_nothing_but_still_hides()
    {
        var plan = Plan(Profile(SandboxMode.ReadOnly, hidden: ["/home/a/.ssh"]), [Dir($"{Ws}/.git")]);

        Assert.Equal([new MountOp(MountOpKind.Hide, "/home/a/.ssh")], plan.Ops.ToArray());
    }

    [Fact]
    public void Hidden_paths_cover_protected_ones_below_them_and_nested_hidden_ones()
    {
        var plan = Plan(Profile(hidden: [$"{Ws}/secrets", $"{Ws}/secrets/deeper"]), [Dir($"{Ws}/secrets/.git"), Dir($"{Ws}/.git")],
            matches: [$"{Ws}/.env", $"{Ws}/secrets/.env"]);

        Assert.Equal([
            new MountOp(MountOpKind.Hide, $"{Ws}/.env"),
            new MountOp(MountOpKind.Protect, $"{Ws}/.git"),
            new MountOp(MountOpKind.Hide, $"{Ws}/secrets"),
        ], plan.Ops.ToArray());
    }

    [Fact]
    public void A_hidden_path_that_holds_a_writable_root_or_the_working_directory_stays_visible_with_a_note()
    {
        var plan = Plan(Profile(hidden: ["/home/a", "/srv/data"], roots: [Ws]), cwd: "/srv/data/job");

        Assert.Empty(plan.Ops.ToArray());
        Assert.Equal(2, plan.Notes.Length);
        Assert.Contains(plan.Notes, n => n.Contains("/home/a is not hidden", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hidden_link_is_hidden_where_it_leads()
    {
        var plan = Plan(Profile(hidden: ["/home/a/.ssh"]), links: new() { ["/home/a/.ssh"] = "/data/keys/ssh" });

        Assert.Equal([new MountOp(MountOpKind.Hide, "/data/keys/ssh")], plan.Ops.ToArray());
    }

    [Fact]
    public void Exposed_paths_come_back_only_inside_a_hidden_directory_and_never_when_a_glob_denies_them()
    {
        var plan = Plan(Profile(hidden: ["/home/a/.ssh"], hiddenPatterns: ["~/**/*.key"]),
            exposed: ["/home/a/.ssh/known_hosts", "/home/a/.ssh/deploy.key", "/home/a/elsewhere"]);

        Assert.Equal([
            new MountOp(MountOpKind.Hide, "/home/a/.ssh"),
            new MountOp(MountOpKind.Expose, "/home/a/.ssh/known_hosts"),
        ], plan.Ops.ToArray());
    }

    [Fact]
    public void Configured_protected_locations_inside_writable_roots_are_bound_and_those_outside_are_read_only_anyway()
    {
        var plan = Plan(Profile(locations: [$"{Ws}/deploy", "/etc/elsewhere"]));

        Assert.Equal([new MountOp(MountOpKind.Protect, $"{Ws}/deploy")], plan.Ops.ToArray());
    }

    [Fact]
    public void Roots_below_tmp_are_kept_writable_in_workspace_write_and_read_only_otherwise()
    {
        var write = Plan(Profile(roots: ["/tmp/w1", "/home/a/w2"]), cwd: "/tmp/w1/src");
        var read = Plan(Profile(SandboxMode.ReadOnly, roots: ["/tmp/w1"]), cwd: "/tmp/elsewhere");

        Assert.Equal(["/tmp/w1"], write.KeepWritable.ToArray());
        Assert.Empty(write.KeepReadOnly);
        Assert.Empty(read.KeepWritable);
        Assert.Equal(["/tmp/w1", "/tmp/elsewhere"], read.KeepReadOnly.ToArray());
    }
}
