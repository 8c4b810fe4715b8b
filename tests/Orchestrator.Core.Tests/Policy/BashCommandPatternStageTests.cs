using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Tests.Policy;

public class BashCommandPatternStageTests
{
    [Theory]
    [InlineData("curl * | sh", new[] { "curl *", "sh" })]
    [InlineData("curl *|bash *", new[] { "curl *", "bash *" })]
    [InlineData("a | b | c", new[] { "a", "b", "c" })]
    public void Pipeline_patterns_have_one_stage_per_command(string text, string[] stages) =>
        Assert.Equal(stages, BashCommandPattern.Parse(text).Stages.Select(s => s.Text));

    [Theory]
    [InlineData("a || b")]
    [InlineData("grep 'a|b' x")]
    [InlineData("git status")]
    public void Other_patterns_have_no_stages(string text) => Assert.Empty(BashCommandPattern.Parse(text).Stages);

    [Theory]
    [InlineData("git push --force*", true, 2)]
    [InlineData("git push:*", true, 2)]
    [InlineData("timeout 60 npm test", false, 4)]
    [InlineData("rm -rf /*", true, 2)]
    [InlineData("*", true, 0)]
    public void Names_its_leading_literal_words(string text, bool moreArguments, int literalWords)
    {
        var pattern = BashCommandPattern.Parse(text);
        Assert.Equal(moreArguments, pattern.AcceptsMoreArguments);
        Assert.Equal(literalWords, pattern.LeadingLiteralWords);
    }

    [Fact]
    public void An_exact_pattern_has_no_wildcard()
    {
        Assert.True(BashCommandPattern.Parse("timeout 60 npm test").IsExact);
        Assert.False(BashCommandPattern.Parse("timeout:*").IsExact);
        Assert.False(BashCommandPattern.Parse("npm run *").IsExact);
    }
}
