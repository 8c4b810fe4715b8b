using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

public sealed class PathPatternTests
{
    // Directories that do not exist, so parsing resolves them lexically only.
    private static readonly PathPatternBase Bases =
        new("/nonexistent-orch/settings", "/nonexistent-orch/ws", "/nonexistent-orch/home", IgnoreCase: false);

    private static PathPattern Compile(string spec, PathPatternBase? bases = null)
    {
        var result = PathPattern.Parse(spec, bases ?? Bases);
        Assert.True(result.Succeeded, result.Error);
        return result.Pattern;
    }

    [Theory]
    [InlineData("./.env", "/nonexistent-orch/ws/.env", true)]
    [InlineData("./.env", "/nonexistent-orch/ws/sub/.env", false)]
    [InlineData("src/**", "/nonexistent-orch/ws/src/a/b.cs", true)]
    [InlineData("src/**", "/nonexistent-orch/ws/lib/src/b.cs", false)]
    [InlineData("~/.ssh/**", "/nonexistent-orch/home/.ssh/id_rsa", true)]
    [InlineData("~/.ssh/**", "/nonexistent-orch/ws/.ssh/id_rsa", false)]
    [InlineData("~", "/nonexistent-orch/home/anything", true)]
    [InlineData("//etc/**", "/etc/passwd", true)]
    [InlineData("//etc/**", "/nonexistent-orch/ws/etc/passwd", false)]
    [InlineData("/config/*.json", "/nonexistent-orch/settings/config/a.json", true)]
    [InlineData("/config/*.json", "/config/a.json", false)]
    [InlineData("/config/*.json", "/nonexistent-orch/ws/config/a.json", false)]
    [InlineData("../shared/**", "/nonexistent-orch/shared/x", true)]
    [InlineData(".", "/nonexistent-orch/ws/deep/file", true)]
    public void Anchor_forms_resolve_to_the_right_base(string spec, string path, bool expected)
    {
        Assert.Equal(expected, Compile(spec).Matches(path));
    }

    [Theory]
    [InlineData("*.pem", "/nonexistent-orch/ws/key.pem", true)]
    [InlineData("*.pem", "/nonexistent-orch/ws/a/b/c/key.pem", true)]
    [InlineData("*.pem", "/nonexistent-orch/other/key.pem", false)]
    [InlineData("*.pem", "/nonexistent-orch/ws/key.pem.bak", false)]
    [InlineData(".env", "/nonexistent-orch/ws/deep/down/.env", true)]
    [InlineData(".env", "/nonexistent-orch/ws/deep/.env/inside", true)]
    [InlineData(".env", "/nonexistent-orch/ws/.envrc", false)]
    [InlineData("secrets/", "/nonexistent-orch/ws/a/secrets/b", true)]
    public void Slashless_patterns_match_a_name_at_any_depth(string spec, string path, bool expected)
    {
        Assert.Equal(expected, Compile(spec).Matches(path));
    }

    [Theory]
    [InlineData("./secrets", "/nonexistent-orch/ws/secrets", true)]
    [InlineData("./secrets", "/nonexistent-orch/ws/secrets/a/b", true)]
    [InlineData("./secrets/", "/nonexistent-orch/ws/secrets/a/b", true)]
    [InlineData("./secrets", "/nonexistent-orch/ws/secrets-old/a", false)]
    [InlineData("./src/*", "/nonexistent-orch/ws/src/pkg/deep/file", true)]
    [InlineData("//etc", "/etc/ssh/sshd_config", true)]
    [InlineData("//etc", "/etcetera", false)]
    public void Directory_matches_cover_descendants(string spec, string path, bool expected)
    {
        Assert.Equal(expected, Compile(spec).Matches(path));
    }

    [Theory]
    [InlineData("./src/*.cs", "/nonexistent-orch/ws/src/a.cs", true)]
    [InlineData("./src/*.cs", "/nonexistent-orch/ws/src/sub/a.cs", false)]
    [InlineData("./src/**/*.cs", "/nonexistent-orch/ws/src/a.cs", true)]
    [InlineData("./src/**/*.cs", "/nonexistent-orch/ws/src/x/y/z/a.cs", true)]
    [InlineData("./src/**/*.cs", "/nonexistent-orch/ws/src/x/y/a.txt", false)]
    [InlineData("./**/bin", "/nonexistent-orch/ws/a/b/bin/tool", true)]
    [InlineData("./a/**/b/**/c", "/nonexistent-orch/ws/a/x/b/y/z/c", true)]
    [InlineData("./a/**/b/**/c", "/nonexistent-orch/ws/a/x/c/y/b", false)]
    [InlineData("./file?.txt", "/nonexistent-orch/ws/file1.txt", true)]
    [InlineData("./file?.txt", "/nonexistent-orch/ws/file10.txt", false)]
    [InlineData("./log[0-9].txt", "/nonexistent-orch/ws/log7.txt", true)]
    [InlineData("./log[0-9].txt", "/nonexistent-orch/ws/logx.txt", false)]
    [InlineData("./[abc]x", "/nonexistent-orch/ws/bx", true)]
    [InlineData("./[!abc]x", "/nonexistent-orch/ws/bx", false)]
    [InlineData("./[!abc]x", "/nonexistent-orch/ws/dx", true)]
    [InlineData("./[^abc]x", "/nonexistent-orch/ws/dx", true)]
    [InlineData("./[]]x", "/nonexistent-orch/ws/]x", true)]
    [InlineData("./a*b*c", "/nonexistent-orch/ws/aXXbYYbc", true)]
    [InlineData("./a*b*c", "/nonexistent-orch/ws/aXXbYYb", false)]
    [InlineData("./*", "/nonexistent-orch/ws/.hidden", true)]
    [InlineData("./x**y", "/nonexistent-orch/ws/xabcy", true)]
    [InlineData("./x**y", "/nonexistent-orch/ws/xa/by", false)]
    public void Glob_features_match_per_segment(string spec, string path, bool expected)
    {
        Assert.Equal(expected, Compile(spec).Matches(path));
    }

    [Theory]
    [InlineData(@"./\*.txt", "/nonexistent-orch/ws/*.txt", true)]
    [InlineData(@"./\*.txt", "/nonexistent-orch/ws/a.txt", false)]
    [InlineData(@"./what\?", "/nonexistent-orch/ws/what?", true)]
    [InlineData(@"./what\?", "/nonexistent-orch/ws/whatx", false)]
    [InlineData(@"./\[x]", "/nonexistent-orch/ws/[x]", true)]
    public void Backslash_escapes_make_metacharacters_literal(string spec, string path, bool expected)
    {
        Assert.Equal(expected, Compile(spec).Matches(path));
    }

    [Fact]
    public void Case_sensitivity_follows_the_base_setting()
    {
        Assert.False(Compile("./.ENV").Matches("/nonexistent-orch/ws/.env"));
        var folding = Bases with { IgnoreCase = true };
        Assert.True(Compile("./.ENV", folding).Matches("/nonexistent-orch/ws/.env"));
        Assert.True(Compile("*.PEM", folding).Matches("/nonexistent-orch/ws/a/key.pem"));
        Assert.True(Compile("./[A-C]x", folding).Matches("/nonexistent-orch/ws/bx"));
    }

    [Fact]
    public void Double_star_pattern_at_root_matches_everything()
    {
        var pattern = Compile("//**");
        Assert.True(pattern.Matches("/"));
        Assert.True(pattern.Matches("/a/b/c"));
    }

    [Fact]
    public void Relative_or_empty_input_paths_never_match()
    {
        var pattern = Compile("//**");
        Assert.False(pattern.Matches("relative/path"));
        Assert.False(pattern.Matches(""));
    }

    [Fact]
    public void Literal_prefix_through_a_symlink_matches_the_canonical_path()
    {
        using var tree = new TempTree();
        tree.Dir("real/secrets");
        tree.DirLink("link", tree.P("real"));
        var bases = new PathPatternBase(tree.Root, tree.Root, tree.Root, IgnoreCase: false);
        var pattern = Compile("./link/secrets/**", bases);
        Assert.True(pattern.Matches(tree.P("real/secrets/key")));
        Assert.True(pattern.Matches(tree.P("link/secrets/key")));
        Assert.False(pattern.Matches(tree.P("real/other")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("./a\0b")]
    [InlineData("./[abc")]
    [InlineData("./x[!")]
    [InlineData(@"./trailing\")]
    [InlineData("~other/x")]
    [InlineData("./*/../x")]
    [InlineData("./[z-a]")]
    public void Invalid_patterns_return_an_error(string spec)
    {
        var result = PathPattern.Parse(spec, Bases);
        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Relative_base_directory_is_an_error()
    {
        var result = PathPattern.Parse("./x", new PathPatternBase("/s", "relative", "/h"));
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Deep_paths_beyond_the_stack_buffer_still_match()
    {
        var deep = "/nonexistent-orch/ws/" + string.Join('/', Enumerable.Range(0, 200).Select(i => "d" + i)) + "/key.pem";
        Assert.True(Compile("*.pem").Matches(deep));
        Assert.False(Compile("*.key").Matches(deep));
    }
}
