using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

public sealed class PathCanonicalizerTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private CanonicalPath Resolve(string path, string? workingDirectory = null, string? home = null) =>
        PathCanonicalizer.Canonicalize(path, workingDirectory ?? _tree.Root, home ?? _tree.P("home"));

    [Fact]
    public void Existing_file_resolves_to_itself_and_exists()
    {
        var file = _tree.File("ws/a.txt");
        var result = Resolve(file);
        Assert.Null(result.Problem);
        Assert.Equal(file, result.FullPath);
        Assert.True(result.Exists);
        Assert.False(result.TraversedSymlink);
    }

    [Fact]
    public void Relative_path_resolves_against_working_directory()
    {
        _tree.File("ws/src/a.cs");
        var result = Resolve("src/./a.cs", _tree.P("ws"));
        Assert.Equal(_tree.P("ws/src/a.cs"), result.FullPath);
        Assert.True(result.Exists);
    }

    [Fact]
    public void Dot_dot_climbs_out_of_the_working_directory()
    {
        _tree.Dir("ws");
        _tree.File("etc/passwd");
        var result = Resolve("../etc/passwd", _tree.P("ws"));
        Assert.Equal(_tree.P("etc/passwd"), result.FullPath);
    }

    [Fact]
    public void Dot_dot_at_the_filesystem_root_stays_at_the_root()
    {
        Assert.Equal("/", Resolve("/../../..").FullPath);
        Assert.Equal("/tmp", Resolve("/../tmp/..//tmp/.").FullPath.Replace("/private", ""));
    }

    [Fact]
    public void Repeated_and_trailing_slashes_are_ignored()
    {
        _tree.Dir("ws/d");
        Assert.Equal(_tree.P("ws/d"), Resolve(_tree.Root + "//ws///d/").FullPath);
    }

    [Fact]
    public void Tilde_expands_to_home()
    {
        _tree.File("home/.ssh/id_rsa");
        Assert.Equal(_tree.P("home"), Resolve("~").FullPath);
        Assert.Equal(_tree.P("home/.ssh/id_rsa"), Resolve("~/.ssh/id_rsa").FullPath);
    }

    [Fact]
    public void Tilde_user_form_is_a_problem()
    {
        Assert.Equal("unsupported ~user form", Resolve("~root/.ssh").Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Empty_or_nul_path_is_a_problem(string path)
    {
        Assert.NotNull(Resolve(path).Problem);
    }

    [Fact]
    public void Overlong_path_is_a_problem()
    {
        Assert.NotNull(Resolve("/" + new string('a', 4096)).Problem);
    }

    [Fact]
    public void Relative_working_directory_is_a_problem()
    {
        Assert.NotNull(PathCanonicalizer.Canonicalize("a", "relative/wd", "/home").Problem);
    }

    [Fact]
    public void Missing_file_under_existing_directory_is_appended()
    {
        _tree.Dir("ws");
        var result = Resolve("ws/new.txt");
        Assert.Equal(_tree.P("ws/new.txt"), result.FullPath);
        Assert.False(result.Exists);
        Assert.Null(result.Problem);
    }

    [Fact]
    public void Missing_tail_is_appended_lexically_with_dot_dot_popping()
    {
        _tree.Dir("ws");
        var result = Resolve("ws/a/b/../c/./d");
        Assert.Equal(_tree.P("ws/a/c/d"), result.FullPath);
        Assert.False(result.Exists);
    }

    [Fact]
    public void Leaving_the_missing_tail_resumes_following_links()
    {
        _tree.Dir("ws");
        _tree.Dir("outside");
        _tree.DirLink("ws/escape", _tree.P("outside"));
        var result = Resolve("ws/missing/../escape/f");
        Assert.Equal(_tree.P("outside/f"), result.FullPath);
    }

    [Fact]
    public void Directory_symlink_is_followed()
    {
        _tree.File("real/f.txt");
        _tree.DirLink("link", _tree.P("real"));
        var result = Resolve("link/f.txt");
        Assert.Equal(_tree.P("real/f.txt"), result.FullPath);
        Assert.True(result.TraversedSymlink);
        Assert.True(result.Exists);
    }

    [Fact]
    public void Relative_link_target_resolves_against_the_links_directory()
    {
        _tree.File("a/real.txt");
        _tree.Dir("b");
        _tree.Link("b/link", "../a/real.txt");
        Assert.Equal(_tree.P("a/real.txt"), Resolve("b/link").FullPath);
    }

    [Fact]
    public void Dot_dot_after_a_link_goes_to_the_parent_of_the_target()
    {
        _tree.Dir("deep/inner");
        _tree.File("deep/sibling.txt");
        _tree.DirLink("link", _tree.P("deep/inner"));
        Assert.Equal(_tree.P("deep/sibling.txt"), Resolve("link/../sibling.txt").FullPath);
    }

    [Fact]
    public void Dangling_link_resolves_to_its_missing_target()
    {
        _tree.Dir("ws");
        _tree.Link("ws/dangling", _tree.P("outside/new.txt"));
        var result = Resolve("ws/dangling");
        Assert.Equal(_tree.P("outside/new.txt"), result.FullPath);
        Assert.False(result.Exists);
        Assert.True(result.TraversedSymlink);
    }

    [Fact]
    public void Link_chains_are_followed_to_the_end()
    {
        _tree.File("end.txt");
        _tree.Link("l3", "end.txt");
        _tree.Link("l2", _tree.P("l3"));
        _tree.Link("l1", "l2");
        Assert.Equal(_tree.P("end.txt"), Resolve("l1").FullPath);
    }

    [Fact]
    public void Link_loop_is_a_problem()
    {
        _tree.Link("a", "b");
        _tree.Link("b", "a");
        Assert.Equal("too many levels of symbolic links", Resolve("a/x").Problem);
    }

    [Fact]
    public void Self_link_is_a_problem()
    {
        _tree.Link("self", "self");
        Assert.Equal("too many levels of symbolic links", Resolve("self").Problem);
    }

    [Fact]
    public void Working_directory_is_canonicalised()
    {
        _tree.Dir("real");
        _tree.DirLink("wdlink", _tree.P("real"));
        Assert.Equal(_tree.P("real/x"), Resolve("x", _tree.P("wdlink")).FullPath);
    }

    [Fact]
    public void Component_below_a_regular_file_does_not_exist()
    {
        _tree.File("f.txt");
        var result = Resolve("f.txt/child");
        Assert.False(result.Exists);
        Assert.Null(result.Problem);
    }

    [Fact]
    public void Proc_self_root_is_refused()
    {
        if (!OperatingSystem.IsLinux())
            return;
        Assert.Contains("magic link", Resolve("/proc/self/root/etc/passwd").Problem);
        Assert.Contains("magic link", Resolve($"/proc/{Environment.ProcessId}/cwd/x").Problem);
    }

    [Fact]
    public void Link_into_proc_magic_link_is_refused()
    {
        if (!OperatingSystem.IsLinux())
            return;
        _tree.Link("sneaky", "/proc/self/cwd");
        Assert.NotNull(Resolve("sneaky/file").Problem);
    }
}
