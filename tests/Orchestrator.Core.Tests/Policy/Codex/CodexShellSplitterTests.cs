using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexShellSplitterTests
{
    [Theory]
    [InlineData("git status", new[] { "git", "status" })]
    [InlineData("  a \t b\n", new[] { "a", "b" })]
    [InlineData("echo 'a b' \"c d\"", new[] { "echo", "a b", "c d" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("x\"y z\"w", new[] { "xy zw" })]
    [InlineData("'' \"\"", new[] { "", "" })]
    [InlineData("\"a\\\"b\\\\c\\d\"", new[] { "a\"b\\c\\d" })]
    [InlineData("'a\\b'", new[] { "a\\b" })]
    [InlineData("", new string[0])]
    public void Splits_like_posix_shlex(string command, string[] expected)
    {
        Assert.True(CodexShellSplitter.TrySplit(command, out var words, out var error));
        Assert.Null(error);
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("echo 'oops")]
    [InlineData("echo \"oops")]
    [InlineData("echo oops\\")]
    public void Unterminated_quotes_and_trailing_backslash_fail(string command)
    {
        Assert.False(CodexShellSplitter.TrySplit(command, out _, out var error));
        Assert.NotNull(error);
    }
}
