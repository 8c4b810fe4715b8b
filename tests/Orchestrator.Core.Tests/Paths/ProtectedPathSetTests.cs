using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

public sealed class ProtectedPathSetTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".git/hooks/pre-commit")]
    [InlineData(".git")]
    [InlineData("sub/.git/config")]
    [InlineData("a/b/c/.vscode/tasks.json")]
    [InlineData(".claude/settings.json")]
    [InlineData(".mcp.json")]
    [InlineData(".envrc")]
    [InlineData("nested/.bashrc")]
    [InlineData(".gitmodules")]
    [InlineData(".orchestrator/policy.toml")]
    public void Default_names_are_protected_at_any_depth_even_when_missing(string relative)
    {
        var set = ProtectedPathSet.Create([_tree.Root]);
        Assert.True(set.IsProtected(_tree.P(relative), out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData(".GIT/config")]
    [InlineData(".Git/hooks/post-checkout")]
    [InlineData("src/.VSCode/settings.json")]
    [InlineData(".BashRC")]
    public void Names_match_ignoring_case(string relative)
    {
        var set = ProtectedPathSet.Create([_tree.Root]);
        Assert.True(set.IsProtected(_tree.P(relative), out _));
    }

    [Theory]
    [InlineData("src/main.cs")]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData("notgit/.gitx")]
    [InlineData("docs/.git-notes")]
    [InlineData(".gitattributes")]
    [InlineData(".gitignore")]
    public void Ordinary_names_are_not_protected(string relative)
    {
        var set = ProtectedPathSet.Create([_tree.Root]);
        Assert.False(set.IsProtected(_tree.P(relative), out _));
    }

    [Fact]
    public void Names_are_only_matched_below_a_root()
    {
        var set = ProtectedPathSet.Create([_tree.P("ws")]);
        Assert.False(set.IsProtected(_tree.P("other/.git/config"), out _));
    }

    [Fact]
    public void Existing_git_directory_contents_are_protected()
    {
        _tree.File("ws/.git/HEAD", "ref: refs/heads/main");
        var set = ProtectedPathSet.Create([_tree.P("ws")]);
        Assert.True(set.IsProtected(_tree.P("ws/.git/HEAD"), out _));
    }

    [Fact]
    public void Extra_names_are_protected()
    {
        var set = ProtectedPathSet.Create([_tree.Root], extraNames: [".gitattributes", "Makefile"]);
        Assert.True(set.IsProtected(_tree.P("sub/makefile"), out _));
        Assert.True(set.IsProtected(_tree.P(".gitattributes"), out _));
    }

    [Fact]
    public void Extra_absolute_paths_protect_themselves_and_descendants()
    {
        var set = ProtectedPathSet.Create([_tree.Root], extraAbsolutePaths: [_tree.P("ws/secrets")]);
        Assert.True(set.IsProtected(_tree.P("ws/secrets"), out _));
        Assert.True(set.IsProtected(_tree.P("ws/secrets/a/b"), out _));
        Assert.False(set.IsProtected(_tree.P("ws/secrets-public/a"), out _));
    }

    [Fact]
    public void Gitdir_file_target_is_protected()
    {
        _tree.Dir("main/.git/worktrees/feature");
        _tree.File("main/.git/worktrees/feature/commondir", "../..\n");
        _tree.File("wt/.git", $"gitdir: {_tree.P("main/.git/worktrees/feature")}\n");
        var set = ProtectedPathSet.Create([_tree.P("wt"), _tree.P("main")]);
        Assert.True(set.IsProtected(_tree.P("main/.git/worktrees/feature/HEAD"), out _));
        Assert.Contains(set.Locations, l => l.Path == _tree.P("main/.git"));
    }

    [Fact]
    public void Relative_gitdir_target_is_protected_even_outside_any_git_named_directory()
    {
        _tree.Dir("ws/modules/sub");
        _tree.File("ws/.git", "gitdir: modules/sub");
        var set = ProtectedPathSet.Create([_tree.P("ws")]);
        Assert.True(set.IsProtected(_tree.P("ws/modules/sub/hooks/pre-commit"), out var reason));
        Assert.Contains("git directory", reason);
        Assert.False(set.IsProtected(_tree.P("ws/modules/other"), out _));
    }

    [Fact]
    public void Symlinked_git_directory_target_is_protected()
    {
        _tree.Dir("ws/store");
        _tree.DirLink("ws/.git", _tree.P("ws/store"));
        var set = ProtectedPathSet.Create([_tree.P("ws")]);
        Assert.True(set.IsProtected(_tree.P("ws/store/config"), out _));
    }

    [Fact]
    public void Invalid_extra_name_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => ProtectedPathSet.Create([_tree.Root], extraNames: ["a/b"]));
        Assert.Throws<ArgumentException>(() => ProtectedPathSet.Create([_tree.Root], extraAbsolutePaths: ["relative"]));
    }

    [Fact]
    public void Names_with_hfs_ignorable_code_points_are_protected()
    {
        var set = ProtectedPathSet.Create([_tree.Root]);
        Assert.True(set.IsProtected(_tree.P(".g\u200Cit/hooks/pre-commit"), out _));
        Assert.True(set.IsProtected(_tree.P("\uFEFF.GIT/config"), out _));
        Assert.False(set.IsProtected(_tree.P("caf\u00E9/x"), out _));
    }
}
