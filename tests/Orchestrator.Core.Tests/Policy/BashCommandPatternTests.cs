using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Tests.Policy;

public class BashCommandPatternTests
{
    [Theory]
    [InlineData("ls *", "ls", true)]
    [InlineData("ls *", "ls -la", true)]
    [InlineData("ls *", "lsof", false)]
    [InlineData("ls *", "lsof -i", false)]
    [InlineData("ls*", "lsof", true)]
    [InlineData("npm run test:*", "npm run test", true)]
    [InlineData("npm run test:*", "npm run test --watch", true)]
    [InlineData("npm run test:*", "npm run testing", false)]
    [InlineData("npm run build", "npm run build", true)]
    [InlineData("npm run build", "npm run build --prod", false)]
    [InlineData("git * main", "git checkout main", true)]
    [InlineData("git * main", "git push origin main", true)]
    [InlineData("git * main", "git push origin main2", false)]
    [InlineData("*", "anything at all", true)]
    [InlineData("* --force", "git push --force", true)]
    [InlineData("rm -rf /*", "rm -rf /", true)]
    [InlineData("rm -rf /*", "rm -rf /home", true)]
    [InlineData("rm -rf /*", "rm -rf ./build", false)]
    [InlineData("curl * | sh", "curl -s https://x | sh", true)]
    public void Pattern_matches_command_text_with_word_boundaries(string pattern, string command, bool expected) =>
        Assert.Equal(expected, BashCommandPattern.Parse(pattern).Matches(command));

    [Theory]
    [InlineData("git status", "git")]
    [InlineData("npm run test:*", "npm")]
    [InlineData("ls *", "ls")]
    [InlineData("ls*", null)]
    [InlineData("* --force", null)]
    public void First_literal_word_is_known_for_indexing(string pattern, string? firstWord) =>
        Assert.Equal(firstWord, BashCommandPattern.Parse(pattern).FirstWord);

    [Fact]
    public void Extra_spaces_in_a_pattern_do_not_change_what_it_matches() =>
        Assert.True(BashCommandPattern.Parse("git   status").Matches("git status"));
}
