using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

public sealed class PathAccessPolicyTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _ws;

    public PathAccessPolicyTests()
    {
        _ws = _tree.Dir("ws");
        _tree.Dir("outside");
        _tree.Dir("home");
    }

    public void Dispose() => _tree.Dispose();

    private PathAccessPolicy Policy(params string[] roots) =>
        PathAccessPolicy.Create(roots.Length == 0 ? [_ws] : roots, _ws, _tree.P("home"));

    [Fact]
    public void Write_inside_root_is_allowed()
    {
        var result = Policy().CheckWrite("src/new.cs");
        Assert.Equal(PathCheckOutcome.Allowed, result.Outcome);
        Assert.Equal(_tree.P("ws/src/new.cs"), result.CanonicalPath);
    }

    [Fact]
    public void Root_itself_is_writable()
    {
        Assert.Equal(PathCheckOutcome.Allowed, Policy().CheckWrite(_ws).Outcome);
    }

    [Fact]
    public void Dot_dot_escape_is_outside_roots()
    {
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite("../outside/x").Outcome);
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite(_ws + "/../etc").Outcome);
    }

    [Fact]
    public void Sibling_with_root_as_name_prefix_is_outside_roots()
    {
        _tree.Dir("ws-evil");
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite(_tree.P("ws-evil/x")).Outcome);
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite(_tree.P("wsx")).Outcome);
    }

    [Fact]
    public void Directory_symlink_pointing_outside_is_outside_roots()
    {
        _tree.DirLink("ws/escape", _tree.P("outside"));
        var result = Policy().CheckWrite("escape/file");
        Assert.Equal(PathCheckOutcome.OutsideRoots, result.Outcome);
        Assert.Equal(_tree.P("outside/file"), result.CanonicalPath);
    }

    [Fact]
    public void File_symlink_pointing_outside_is_outside_roots()
    {
        var target = _tree.File("outside/target.txt");
        _tree.Link("ws/innocent.txt", target);
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite("innocent.txt").Outcome);
    }

    [Fact]
    public void Dangling_symlink_pointing_outside_is_outside_roots()
    {
        _tree.Link("ws/later", _tree.P("outside/not-yet.txt"));
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckWrite("later").Outcome);
    }

    [Fact]
    public void Symlink_pointing_inside_the_root_is_allowed()
    {
        _tree.Dir("ws/real");
        _tree.Link("ws/alias", "real");
        Assert.Equal(PathCheckOutcome.Allowed, Policy().CheckWrite("alias/f").Outcome);
    }

    [Fact]
    public void Symlink_into_git_directory_is_protected()
    {
        _tree.Dir("ws/.git/hooks");
        _tree.Link("ws/hook", ".git/hooks/pre-commit");
        Assert.Equal(PathCheckOutcome.Protected, Policy().CheckWrite("hook").Outcome);
    }

    [Fact]
    public void Git_hook_is_protected_before_git_directory_exists()
    {
        Assert.Equal(PathCheckOutcome.Protected, Policy().CheckWrite(".git/hooks/pre-commit").Outcome);
    }

    [Fact]
    public void Nested_git_config_is_protected()
    {
        _tree.File("ws/sub/.git/config");
        Assert.Equal(PathCheckOutcome.Protected, Policy().CheckWrite("sub/.git/config").Outcome);
    }

    [Fact]
    public void Case_variant_of_protected_name_is_protected()
    {
        Assert.Equal(PathCheckOutcome.Protected, Policy().CheckWrite(".Git/config").Outcome);
    }

    [Fact]
    public void Worktree_gitdir_target_inside_another_root_is_protected()
    {
        _tree.Dir("ws/gitstore");
        _tree.File("ws/checkout/.git", "gitdir: ../gitstore");
        var policy = PathAccessPolicy.Create([_tree.P("ws/checkout"), _ws], _ws, _tree.P("home"));
        Assert.Equal(PathCheckOutcome.Protected, policy.CheckWrite("gitstore/config").Outcome);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/stdout")]
    [InlineData("/dev/stderr")]
    [InlineData("/dev/fd/1")]
    [InlineData("/dev/fd/2")]
    public void Device_sinks_are_always_writable(string sink)
    {
        var result = Policy().CheckWrite(sink);
        Assert.Equal(PathCheckOutcome.Allowed, result.Outcome);
        Assert.Equal(sink, result.CanonicalPath);
    }

    [Theory]
    [InlineData("/dev/sda")]
    [InlineData("/dev/fd/3")]
    [InlineData("/dev/null/../sda")]
    public void Other_device_paths_are_not_sinks(string path)
    {
        Assert.NotEqual(PathCheckOutcome.Allowed, Policy().CheckWrite(path).Outcome);
    }

    [Fact]
    public void Proc_magic_links_are_unresolvable()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var policy = Policy("/");
        Assert.Equal(PathCheckOutcome.Unresolvable, policy.CheckWrite("/proc/self/root" + _ws + "/x").Outcome);
        Assert.Equal(PathCheckOutcome.Unresolvable, policy.CheckWrite($"/proc/{Environment.ProcessId}/cwd/x").Outcome);
    }

    [Fact]
    public void Unsupported_tilde_form_is_unresolvable()
    {
        Assert.Equal(PathCheckOutcome.Unresolvable, Policy().CheckWrite("~root/x").Outcome);
    }

    [Fact]
    public void Symlink_loop_is_unresolvable()
    {
        _tree.Link("ws/a", "b");
        _tree.Link("ws/b", "a");
        Assert.Equal(PathCheckOutcome.Unresolvable, Policy().CheckWrite("a").Outcome);
    }

    [Fact]
    public void Writable_root_given_through_a_symlink_is_canonicalised()
    {
        _tree.DirLink("wslink", _ws);
        var policy = PathAccessPolicy.Create([_tree.P("wslink")], _ws, _tree.P("home"));
        Assert.Equal(_ws, Assert.Single(policy.WritableRoots));
        Assert.Equal(PathCheckOutcome.Allowed, policy.CheckWrite(_tree.P("wslink/f")).Outcome);
    }

    [Fact]
    public void Read_inside_readable_root_is_allowed_and_outside_is_not()
    {
        var policy = Policy();
        _tree.File("outside/data.txt");
        Assert.Equal(PathCheckOutcome.Allowed, policy.CheckRead("../outside/data.txt", [_tree.P("outside")]).Outcome);
        Assert.Equal(PathCheckOutcome.OutsideRoots, policy.CheckRead("../outside/data.txt", []).Outcome);
    }

    [Fact]
    public void Protected_paths_are_readable_in_writable_roots()
    {
        _tree.File("ws/.git/config");
        Assert.Equal(PathCheckOutcome.Allowed, Policy().CheckRead(".git/config", []).Outcome);
    }

    [Fact]
    public void Read_through_symlink_escaping_readable_root_is_outside_roots()
    {
        _tree.File("home/.ssh/id_rsa");
        _tree.DirLink("ws/keys", _tree.P("home/.ssh"));
        Assert.Equal(PathCheckOutcome.OutsideRoots, Policy().CheckRead("keys/id_rsa", []).Outcome);
    }

    [Fact]
    public void Configured_protected_paths_expand_home_and_are_protected()
    {
        var policy = PathAccessPolicy.Create([_tree.Root], _ws, _tree.P("home"), extraProtectedPaths: ["~/.config"]);
        Assert.Equal(PathCheckOutcome.Protected, policy.CheckWrite("~/.config/app/settings").Outcome);
        Assert.Equal(PathCheckOutcome.Allowed, policy.CheckWrite("~/.configuration").Outcome);
    }

    [Fact]
    public void Configured_protected_names_are_protected()
    {
        var policy = PathAccessPolicy.Create([_ws], _ws, _tree.P("home"), extraProtectedNames: ["Makefile"]);
        Assert.Equal(PathCheckOutcome.Protected, policy.CheckWrite("lib/Makefile").Outcome);
    }
}
