using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Tests.Shell;

public class BraceExpanderTests
{
    [Theory]
    [InlineData("a{b,c}d", "abd acd")]
    [InlineData(".{env,x}", ".env .x")]
    [InlineData("{cat,.env}", "cat .env")]
    [InlineData("x{,.bak}", "x x.bak")]
    [InlineData("{a,b}{1,2}", "a1 a2 b1 b2")]
    [InlineData("{a,{b,c}}", "a b c")]
    [InlineData("f{1..3}", "f1 f2 f3")]
    [InlineData("{3..1}", "3 2 1")]
    [InlineData("{01..03}", "01 02 03")]
    [InlineData("{1..9..4}", "1 5 9")]
    [InlineData("{a..c}", "a b c")]
    [InlineData("{x}", "{x}")]
    [InlineData("{}", "{}")]
    [InlineData("${HOME}", "${HOME}")]
    [InlineData("{a,b", "{a,b")]
    [InlineData("plain", "plain")]
    public void Expands_like_bash(string text, string expected) =>
        Assert.Equal(expected.Split(' '), BraceExpander.Expand(text));

    [Fact]
    public void Refuses_to_expand_past_the_limit() =>
        Assert.Null(BraceExpander.Expand("{1..100}{1..100}", limit: 64));
}
