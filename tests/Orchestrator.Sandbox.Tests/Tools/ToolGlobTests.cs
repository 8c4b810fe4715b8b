using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

public sealed class ToolGlobTests
{
    [Theory]
    [InlineData("*.cs", "a.cs", true)]
    [InlineData("*.cs", "src/a.cs", false)]
    [InlineData("**/*.cs", "a.cs", true)]
    [InlineData("**/*.cs", "src/deep/a.cs", true)]
    [InlineData("src/**", "src/a/b", true)]
    [InlineData("src/**", "src", false)]
    [InlineData("src/**/test/*.ts", "src/test/a.ts", true)]
    [InlineData("src/**/test/*.ts", "src/x/y/test/a.ts", true)]
    [InlineData("*.{ts,tsx}", "a.tsx", true)]
    [InlineData("*.{ts,tsx}", "a.js", false)]
    [InlineData("?.md", "a.md", true)]
    [InlineData("?.md", "ab.md", false)]
    [InlineData("[ab].txt", "b.txt", true)]
    [InlineData("[!ab].txt", "c.txt", true)]
    [InlineData("[!ab].txt", "a.txt", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("a*b", "a/b", false)]
    public void Globs_match_relative_paths_segment_by_segment(string glob, string path, bool matches) =>
        Assert.Equal(matches, ToolGlob.TryCompile(glob, out _)!.IsMatch(path));

    [Theory]
    [InlineData("[ab", "unclosed '['")]
    [InlineData("{a,b", "unclosed '{'")]
    [InlineData("a\\", "lone '\\'")]
    public void A_malformed_glob_is_refused_naming_why(string glob, string reason)
    {
        Assert.Null(ToolGlob.TryCompile(glob, out var error));
        Assert.Contains(reason, error);
    }
}
