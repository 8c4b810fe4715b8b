using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexRulesParserTests
{
    private static CodexRulesFile ParseValid(string text)
    {
        var file = CodexRulesParser.Parse(text, "policy.rules");
        Assert.Empty(file.Errors);
        return file;
    }

    [Fact]
    public void Empty_file_has_no_rules_and_no_errors()
    {
        var file = CodexRulesParser.Parse("", "policy.rules");
        Assert.Empty(file.Rules);
        Assert.Empty(file.Errors);
        Assert.False(file.HasErrors);
        Assert.Equal("policy.rules", file.Path);
    }

    [Fact]
    public void File_with_only_comments_and_blank_lines_has_no_rules()
    {
        var file = ParseValid("# just a comment\n\n   # another\r\n");
        Assert.Empty(file.Rules);
    }

    [Fact]
    public void Full_featured_rule_is_parsed()
    {
        var file = ParseValid("""
            # comment
            prefix_rule(
                pattern = ["git", ["status", "log"], "--oneline"],   # alternatives
                decision = "allow",
                justification = "read-only git",
                match = ["git status --oneline", ["git", "log", "--oneline", "-5"]],
                not_match = ["git push"],
            )
            """);

        var rule = Assert.Single(file.Rules);
        Assert.Equal(3, rule.Pattern.Count);
        Assert.Equal(["git"], rule.Pattern[0]);
        Assert.Equal(["status", "log"], rule.Pattern[1]);
        Assert.Equal(["--oneline"], rule.Pattern[2]);
        Assert.Equal(CodexDecision.Allow, rule.Decision);
        Assert.Equal("read-only git", rule.Justification);
        Assert.Equal("policy.rules:2:1", rule.Location.ToString());
        Assert.Equal("prefix_rule(pattern=[\"git\", [\"status\", \"log\"], \"--oneline\"], decision=\"allow\")", rule.Text);
    }

    [Theory]
    [InlineData("allow", CodexDecision.Allow)]
    [InlineData("prompt", CodexDecision.Prompt)]
    [InlineData("forbidden", CodexDecision.Forbidden)]
    public void Decision_strings_map_to_enum(string text, CodexDecision expected)
    {
        var file = ParseValid($"prefix_rule(pattern = [\"rm\"], decision = \"{text}\")");
        Assert.Equal(expected, Assert.Single(file.Rules).Decision);
    }

    [Fact]
    public void Omitted_decision_defaults_to_allow_and_justification_to_null()
    {
        var rule = Assert.Single(ParseValid("prefix_rule(pattern = [\"ls\"])").Rules);
        Assert.Equal(CodexDecision.Allow, rule.Decision);
        Assert.Null(rule.Justification);
    }

    [Fact]
    public void Multiple_rules_are_returned_in_file_order_with_locations()
    {
        var file = ParseValid("prefix_rule(pattern=[\"a\"])\n\nprefix_rule(pattern=[\"b\"], decision=\"forbidden\")\n");
        Assert.Equal(2, file.Rules.Count);
        Assert.Equal("policy.rules:1:1", file.Rules[0].Location.ToString());
        Assert.Equal("policy.rules:3:1", file.Rules[1].Location.ToString());
        Assert.Equal(CodexDecision.Forbidden, file.Rules[1].Decision);
    }

    [Fact]
    public void Single_quoted_and_triple_quoted_strings_are_accepted()
    {
        var rule = Assert.Single(ParseValid("""
            prefix_rule(
                pattern = ['npm', "run"],
                justification = '''multi
            line''',
            )
            """).Rules);
        Assert.Equal(["npm"], rule.Pattern[0]);
        Assert.Equal("multi\nline", rule.Justification);
    }

    [Fact]
    public void String_escapes_are_decoded()
    {
        var rule = Assert.Single(ParseValid(@"prefix_rule(pattern = [""a\""b"", 'c\'d', ""tab\there"", ""\x41\u00e9\\"", ""\101""])").Rules);
        Assert.Equal(["a\"b"], rule.Pattern[0]);
        Assert.Equal(["c'd"], rule.Pattern[1]);
        Assert.Equal(["tab\there"], rule.Pattern[2]);
        Assert.Equal(["Aé\\"], rule.Pattern[3]);
        Assert.Equal(["A"], rule.Pattern[4]);
    }

    [Fact]
    public void Raw_strings_keep_backslashes()
    {
        var rule = Assert.Single(ParseValid(@"prefix_rule(pattern = [r""a\nb""])").Rules);
        Assert.Equal(["a\\nb"], rule.Pattern[0]);
    }

    [Fact]
    public void Trailing_commas_are_allowed_everywhere()
    {
        var rule = Assert.Single(ParseValid("prefix_rule(pattern = [\"git\", [\"a\", \"b\",],], match = [[\"git\", \"a\",],],)").Rules);
        Assert.Equal(["a", "b"], rule.Pattern[1]);
    }

    [Fact]
    public void Windows_line_endings_are_handled()
    {
        var file = CodexRulesParser.Parse("prefix_rule(\r\n    pattern = [\"ls\"],\r\n)\r\nprefix_rule(\r\n  pattern = 1)\r\n", "policy.rules");
        Assert.Single(file.Rules);
        Assert.Equal("policy.rules:5:13: pattern must be a list; found number 1", Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Parsed_rule_matches_commands_by_prefix()
    {
        var rule = Assert.Single(ParseValid("prefix_rule(pattern = [\"git\", \"status\"])").Rules);
        Assert.True(rule.Matches(["git", "status", "-s"]));
        Assert.False(rule.Matches(["git"]));
        Assert.False(rule.Matches(["git", "statuses"]));
    }
}
