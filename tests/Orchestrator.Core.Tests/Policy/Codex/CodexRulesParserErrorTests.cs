using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexRulesParserErrorTests
{
    private static string SingleError(string text)
    {
        var file = CodexRulesParser.Parse(text, "policy.rules");
        return Assert.Single(file.Errors).ToString();
    }

    private static string[] Errors(string text) =>
        CodexRulesParser.Parse(text, "policy.rules").Errors.Select(error => error.ToString()).ToArray();

    [Fact]
    public void Unknown_function_is_reported_at_its_name()
    {
        Assert.Equal(
            "policy.rules:2:1: unknown function \"host_rule\"; only prefix_rule(...), host_executable(...) and network_rule(...) are supported",
            SingleError("# c\nhost_rule(pattern = [\"ls\"])\n"));
    }

    [Fact]
    public void Positional_argument_is_reported_at_its_value()
    {
        Assert.Equal(
            "policy.rules:1:13: prefix_rule takes keyword arguments only; found a positional argument",
            SingleError("prefix_rule([\"ls\"], pattern = [\"ls\"])"));
    }

    [Fact]
    public void Unknown_keyword_is_reported_at_the_keyword()
    {
        Assert.Equal(
            "policy.rules:3:5: unknown keyword argument \"patern\" to prefix_rule; expected one of pattern, decision, justification, match, not_match",
            SingleError("prefix_rule(\n    pattern = [\"ls\"],\n    patern = [\"ls\"],\n)"));
    }

    [Fact]
    public void Duplicate_keyword_is_reported_at_the_second_occurrence()
    {
        Assert.Equal(
            "policy.rules:1:47: duplicate keyword argument \"decision\"",
            SingleError("prefix_rule(pattern=[\"ls\"], decision=\"allow\", decision=\"forbidden\")"));
    }

    [Fact]
    public void Missing_pattern_is_reported_at_the_call()
    {
        Assert.Equal(
            "policy.rules:2:1: prefix_rule is missing required argument \"pattern\"",
            SingleError("\nprefix_rule(decision = \"allow\")"));
    }

    [Fact]
    public void Empty_pattern_is_reported_at_its_bracket()
    {
        Assert.Equal("policy.rules:1:23: pattern must not be empty", SingleError("prefix_rule(pattern = [])"));
    }

    [Fact]
    public void Empty_alternative_list_is_reported_at_its_bracket()
    {
        Assert.Equal(
            "policy.rules:1:31: pattern alternatives list must not be empty",
            SingleError("prefix_rule(pattern = [\"git\", []])"));
    }

    [Fact]
    public void Non_string_pattern_element_is_reported_at_the_element()
    {
        Assert.Equal(
            "policy.rules:1:31: pattern elements must be strings or lists of strings; found number 42",
            SingleError("prefix_rule(pattern = [\"git\", 42])"));
    }

    [Fact]
    public void Non_string_alternative_is_reported_at_the_alternative()
    {
        Assert.Equal(
            "policy.rules:1:37: pattern alternatives must be strings; found boolean True",
            SingleError("prefix_rule(pattern = [\"git\", [\"a\", True]])"));
    }

    [Fact]
    public void Bad_decision_value_is_reported_at_the_value()
    {
        Assert.Equal(
            "policy.rules:1:42: decision must be one of \"allow\", \"prompt\", \"forbidden\"; found \"deny\"",
            SingleError("prefix_rule(pattern = [\"rm\"], decision = \"deny\")"));
    }

    [Fact]
    public void Decision_is_case_sensitive()
    {
        Assert.Contains("found \"Allow\"", SingleError("prefix_rule(pattern = [\"rm\"], decision = \"Allow\")"));
    }

    [Fact]
    public void Non_string_justification_is_reported()
    {
        Assert.Equal(
            "policy.rules:1:47: justification must be a string; found None",
            SingleError("prefix_rule(pattern = [\"rm\"], justification = None)"));
    }

    [Fact]
    public void Unterminated_string_is_reported_at_its_opening_quote()
    {
        Assert.Equal(
            "policy.rules:2:16: unterminated string literal",
            SingleError("prefix_rule(\n    pattern = [\"git],\n)\n"));
    }

    [Fact]
    public void Unterminated_triple_quoted_string_is_reported_at_its_opening_quote()
    {
        Assert.Equal(
            "policy.rules:1:47: unterminated string literal",
            SingleError("prefix_rule(pattern = [\"ls\"], justification = \"\"\"never\nclosed\n"));
    }

    [Fact]
    public void Invalid_escape_is_reported_at_its_backslash()
    {
        Assert.Equal("policy.rules:1:26: invalid escape sequence \\q", SingleError("prefix_rule(pattern = [\"a\\qb\"])"));
    }

    [Fact]
    public void Unexpected_token_is_reported()
    {
        Assert.Equal(
            "policy.rules:1:28: unexpected string \"b\"; expected \",\" or \"]\"",
            SingleError("prefix_rule(pattern = [\"a\" \"b\"])"));
    }

    [Fact]
    public void Unexpected_character_is_reported()
    {
        Assert.Equal("policy.rules:1:23: unexpected character '{'", SingleError("prefix_rule(pattern = {})"));
    }

    [Fact]
    public void Unexpected_end_of_file_is_reported_at_the_end()
    {
        Assert.Equal(
            "policy.rules:2:19: unexpected end of file; expected \",\" or \")\"",
            SingleError("prefix_rule(\n  pattern = [\"ls\"]"));
    }

    [Fact]
    public void Call_without_parentheses_is_reported()
    {
        Assert.Equal(
            "policy.rules:1:13: unexpected \"=\"; expected \"(\" after prefix_rule",
            SingleError("prefix_rule = 1"));
    }

    [Fact]
    public void Top_level_assignment_is_an_unexpected_token()
    {
        Assert.Equal("policy.rules:1:7: unexpected \"=\"; expected \"(\" after rules", SingleError("rules = [\"ls\"]"));
    }

    [Fact]
    public void Two_statements_on_one_line_are_reported()
    {
        Assert.Equal(
            "policy.rules:1:28: unexpected identifier prefix_rule; expected a new line after prefix_rule(...)",
            SingleError("prefix_rule(pattern=[\"a\"]) prefix_rule(pattern=[\"b\"])"));
    }

    [Fact]
    public void Indented_statement_is_reported()
    {
        Assert.Equal(
            "policy.rules:1:3: unexpected indentation; top-level statements must start at column 1",
            SingleError("  prefix_rule(pattern=[\"a\"])"));
    }

    [Fact]
    public void Deeply_nested_lists_are_an_error_not_a_crash()
    {
        var text = "prefix_rule(pattern = " + new string('[', 10_000) + new string(']', 10_000) + ")";
        Assert.Contains("nested more than", SingleError(text));
    }

    [Fact]
    public void Several_semantic_errors_in_one_rule_are_all_reported()
    {
        Assert.Equal(
            [
                "policy.rules:1:1: prefix_rule is missing required argument \"pattern\"",
                "policy.rules:1:13: unknown keyword argument \"x\" to prefix_rule; expected one of pattern, decision, justification, match, not_match",
                "policy.rules:1:32: decision must be one of \"allow\", \"prompt\", \"forbidden\"; found \"no\"",
            ],
            Errors("prefix_rule(x = [], decision = \"no\")"));
    }

    [Fact]
    public void Parsing_continues_after_errors_and_reports_all_of_them()
    {
        var file = CodexRulesParser.Parse(
            """
            prefix_rule(pattern = ["ok1"])
            prefix_rule(
                pattern = ["a" "b"],
            )
            nope(1)
            prefix_rule(pattern = ["ok2"])
            prefix_rule(pattern = ["x"], decision = "maybe")
            prefix_rule(pattern = ["unterminated)
            prefix_rule(pattern = ["ok3"])
            """,
            "policy.rules");

        Assert.Equal(["ok1", "ok2", "ok3"], file.Rules.Select(rule => rule.Pattern[0][0]));
        Assert.Equal(
            [
                "policy.rules:3:20: unexpected string \"b\"; expected \",\" or \"]\"",
                "policy.rules:5:1: unknown function \"nope\"; only prefix_rule(...), host_executable(...) and network_rule(...) are supported",
                "policy.rules:7:41: decision must be one of \"allow\", \"prompt\", \"forbidden\"; found \"maybe\"",
                "policy.rules:8:24: unterminated string literal",
            ],
            file.Errors.Select(error => error.ToString()));
    }

    [Fact]
    public void Missing_close_paren_recovers_at_next_statement()
    {
        var file = CodexRulesParser.Parse("prefix_rule(\n    pattern = [\"a\"],\nprefix_rule(pattern = [\"b\"])\n", "policy.rules");
        Assert.Equal("b", Assert.Single(file.Rules).Pattern[0][0]);
        Assert.Equal("policy.rules:3:12: unexpected \"(\"; expected \",\" or \")\"", Assert.Single(file.Errors).ToString());
    }
}
