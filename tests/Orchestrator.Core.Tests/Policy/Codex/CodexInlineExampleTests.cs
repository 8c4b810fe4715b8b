using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexInlineExampleTests
{
    private static CodexRulesFile Parse(string text) => CodexRulesParser.Parse(text, "policy.rules");

    [Fact]
    public void Passing_examples_produce_no_errors()
    {
        var file = Parse("""
            prefix_rule(
                pattern = ["git", ["status", "log"]],
                match = ["git status", "git log --oneline", ["git", "status", "-s"]],
                not_match = ["git", "git push", ["git", "statuses"]],
            )
            """);
        Assert.Empty(file.Errors);
        Assert.Single(file.Rules);
    }

    [Fact]
    public void Failing_match_string_example_is_reported_at_the_example()
    {
        var file = Parse("""
            prefix_rule(
                pattern = ["git", "status"],
                decision = "allow",
                justification = "read-only",
                match = [
                    "git status",
                    "git push",
                ],
            )
            """);
        Assert.Equal(
            "policy.rules:7:9: match example \"git push\" does not match prefix_rule(pattern=[\"git\", \"status\"], decision=\"allow\")",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Failing_match_list_example_is_reported_at_its_bracket()
    {
        var file = Parse("prefix_rule(pattern = [\"ls\"], match = [[\"cat\", \"x\"]])");
        Assert.Equal(
            "policy.rules:1:40: match example [\"cat\", \"x\"] does not match prefix_rule(pattern=[\"ls\"], decision=\"allow\")",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Failing_not_match_example_is_reported_at_the_example()
    {
        var file = Parse("prefix_rule(\n    pattern = [\"rm\"],\n    decision = \"forbidden\",\n    not_match = [\"ls\", \"rm -rf /\"],\n)");
        Assert.Equal(
            "policy.rules:4:24: not_match example \"rm -rf /\" matches prefix_rule(pattern=[\"rm\"], decision=\"forbidden\")",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Rule_with_a_failing_example_is_not_returned()
    {
        var file = Parse("prefix_rule(pattern = [\"ls\"], match = [\"cat\"])\nprefix_rule(pattern = [\"pwd\"])");
        Assert.Equal("pwd", Assert.Single(file.Rules).Pattern[0][0]);
        Assert.True(file.HasErrors);
    }

    [Fact]
    public void String_examples_are_split_like_a_shell()
    {
        var file = Parse("""
            prefix_rule(
                pattern = ["echo", "hello world", "it's"],
                match = ["echo 'hello world' \"it's\"", "echo hello\\ world it\\'s"],
            )
            """);
        Assert.Empty(file.Errors);
    }

    [Fact]
    public void Example_with_unterminated_quote_is_an_error()
    {
        var file = Parse("prefix_rule(pattern = [\"echo\"], match = [\"echo 'oops\"])");
        Assert.Equal(
            "policy.rules:1:42: match example \"echo 'oops\" has an unterminated single quote",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Non_string_example_token_is_an_error()
    {
        var file = Parse("prefix_rule(pattern = [\"ls\"], not_match = [[\"cat\", 1]])");
        Assert.Equal(
            "policy.rules:1:52: not_match example tokens must be strings; found number 1",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Match_that_is_not_a_list_is_an_error()
    {
        var file = Parse("prefix_rule(pattern = [\"ls\"], match = \"ls\")");
        Assert.Equal("policy.rules:1:39: match must be a list of examples; found string \"ls\"", Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Every_failing_example_is_reported()
    {
        var file = Parse("prefix_rule(pattern = [\"ls\"], match = [\"a\", \"b\"], not_match = [\"ls\"])");
        Assert.Equal(3, file.Errors.Count);
    }
}
