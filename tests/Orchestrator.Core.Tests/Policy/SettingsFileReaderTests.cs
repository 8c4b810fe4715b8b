using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Policy;

public class SettingsFileReaderTests
{
    private static readonly RuleContext Context = new("/proj/.orchestrator", "/proj", "/home/u");

    private static LayerSettings Read(string json, SettingsLayer layer = SettingsLayer.Project) =>
        SettingsFileReader.Read(Encoding.UTF8.GetBytes(json), "s.json", layer, Context);

    [Fact]
    public void Rules_carry_their_line_and_column()
    {
        var s = Read("{\n  \"permissions\": {\n    \"deny\": [\n      \"Bash(rm:*)\"\n    ]\n  }\n}");
        var rule = Assert.Single(s.Rules);
        Assert.Equal(RuleDecision.Deny, rule.Decision);
        Assert.Equal(new SourceLocation("s.json", 4, 7), rule.Origin.Location);
        Assert.Equal(SettingsLayer.Project, rule.Origin.Layer);
    }

    [Fact]
    public void Syntax_error_names_line_and_column_and_keeps_no_rules()
    {
        var s = Read("{\n  \"permissions\": {\n    \"allow\": [\"Bash(ls)\" \"x\"]\n  }\n}");
        Assert.Empty(s.Rules);
        var error = Assert.Single(s.Errors);
        Assert.Equal(3, error.Location.Line);
        Assert.True(error.Location.Column > 1);
    }

    [Theory]
    [InlineData("deny")]
    [InlineData("ask")]
    public void A_malformed_deny_or_ask_rule_is_an_error_at_the_offending_character(string decision)
    {
        var s = Read($"{{\"permissions\":{{\"{decision}\":[\"Bash(ls\"]}}}}");
        var error = Assert.Single(s.Errors);
        Assert.Equal(new SourceLocation("s.json", 1, 21 + decision.Length + 1 + 7), error.Location);
        Assert.Contains($"invalid {decision} rule \"Bash(ls\": rule specifier is missing its closing ')'", error.Message);
        Assert.Empty(s.Rules);
    }

    [Fact]
    public void A_malformed_allow_rule_is_skipped_with_a_warning_and_the_rest_of_the_file_applies()
    {
        var s = Read("{\"permissions\":{\"allow\":[\"Bash(ls\", \"Bash(pwd)\"],\"deny\":[\"Read(./.env)\"]}}");
        Assert.Empty(s.Errors);
        var warning = Assert.Single(s.Warnings);
        Assert.Equal(new SourceLocation("s.json", 1, 26 + 1 + 7), warning.Location);
        Assert.Contains("allow rule \"Bash(ls\" skipped: rule specifier is missing its closing ')'", warning.Message);
        Assert.Equal(["Bash(pwd)", "Read(./.env)"], s.Rules.Select(r => r.Text).Order());
    }

    [Fact]
    public void A_never_matching_deny_rule_is_skipped_with_a_loud_warning_naming_the_rule_and_why()
    {
        var s = Read("{\"permissions\":{\n  \"deny\": [\n    \"Bash(rm -r /)*\",\n    \"Bash(rm -rf:*)\"\n  ]\n}}");
        Assert.Empty(s.Errors);
        var warning = Assert.Single(s.Warnings);
        Assert.Equal(new SourceLocation("s.json", 3, 19), warning.Location);
        Assert.StartsWith("deny rule \"Bash(rm -r /)*\" SKIPPED: what it seems to name is NOT denied: the text after the closing ')'", warning.Message);
        Assert.Contains("did you mean \"Bash(rm -r /*)\"", warning.Message);
        Assert.Equal("Bash(rm -rf:*)", Assert.Single(s.Rules).Text);
    }

    [Fact]
    public void Wrong_types_are_errors_with_positions()
    {
        var s = Read("{\"permissions\":{\"allow\":\"Bash\",\"defaultMode\":3},\"orchestrator\":{\"network\":\"maybe\"}}");
        Assert.Equal(3, s.Errors.Count);
        Assert.All(s.Errors, e => Assert.Equal(1, e.Location.Line));
    }

    [Fact]
    public void Invalid_utf8_is_an_error_at_the_bad_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("{\n \"permissions\": {\"allow\": [\"Bash(ls)\"]}}").ToList();
        bytes.Insert(3, 0xFF);
        var s = SettingsFileReader.Read(bytes.ToArray(), "s.json", SettingsLayer.User, Context);
        var error = Assert.Single(s.Errors);
        Assert.Equal(new SourceLocation("s.json", 2, 2), error.Location);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void Claude_code_modes_map_onto_sandbox_and_approval()
    {
        var plan = Read("{\"permissions\":{\"defaultMode\":\"plan\"}}");
        Assert.Equal(SandboxMode.ReadOnly, plan.Sandbox!.Value);
        Assert.Equal(ApprovalPolicy.Untrusted, plan.Approval!.Value);
        var accept = Read("{\"permissions\":{\"defaultMode\":\"acceptEdits\"}}");
        Assert.True(accept.AcceptEdits!.Value);
    }

    [Fact]
    public void Claude_codes_auto_mode_maps_to_workspace_write_on_request_with_edits_accepted()
    {
        var auto = Read("{\"permissions\":{\"defaultMode\":\"auto\"}}");
        Assert.Empty(auto.Errors);
        Assert.Empty(auto.Warnings);
        Assert.Equal(SandboxMode.WorkspaceWrite, auto.Sandbox!.Value);
        Assert.Equal(ApprovalPolicy.OnRequest, auto.Approval!.Value);
        Assert.True(auto.AcceptEdits!.Value);
        Assert.Equal(ApprovalPolicy.Untrusted, Read("{\"permissions\":{\"defaultMode\":\"manual\"}}").Approval!.Value);
    }

    [Fact]
    public void Auto_mode_classifier_rules_are_named_as_unused()
    {
        var s = Read("{\"permissions\":{\"defaultMode\":\"auto\"},\"autoMode\":{\"soft_deny\":[\"deploys\"]}}");
        Assert.Empty(s.Errors);
        Assert.Contains("'autoMode' (the rules of Claude Code's auto-mode classifier) is not used here", Assert.Single(s.Warnings).Message);
    }

    [Theory]
    [InlineData("permissions", "defaultMode")]
    [InlineData("orchestrator", "mode")]
    public void An_unknown_mode_name_is_a_positioned_warning_and_sets_nothing(string section, string key)
    {
        var s = Read($"{{\"{section}\":{{\"{key}\":\"yolo\"}}}}");
        Assert.Empty(s.Errors);
        var warning = Assert.Single(s.Warnings);
        Assert.Equal(new SourceLocation("s.json", 1, section.Length + key.Length + 9), warning.Location);
        Assert.Contains("unknown mode 'yolo' is ignored", warning.Message);
        Assert.Null(s.Sandbox);
        Assert.Null(s.Approval);
        Assert.Null(s.AcceptEdits);
    }

    [Fact]
    public void Explicit_approval_policy_wins_over_the_one_a_mode_implies_within_a_layer()
    {
        var s = Read("{\"orchestrator\":{\"approvalPolicy\":\"on-request\"},\"permissions\":{\"defaultMode\":\"default\"}}");
        Assert.Equal(ApprovalPolicy.OnRequest, s.Approval!.Value);
        Assert.Equal(SandboxMode.WorkspaceWrite, s.Sandbox!.Value);
    }

    [Fact]
    public void Unknown_keys_are_warnings_not_errors()
    {
        var s = Read("{\"permisions\":{}, \"env\":{\"A\":\"1\"}}");
        Assert.Empty(s.Errors);
        Assert.Contains(s.Warnings, w => w.Message.Contains("permisions"));
    }

    [Theory]
    [InlineData("{\n \"permissions\": {\"allow\": [\"Bash(ls)\",]}\n}", 2, 38, "trailing comma")]
    [InlineData("{\n \"permissions\": {\"allow\": [\"Bash(ls)\"]},\n}", 2, 40, "trailing comma")]
    [InlineData("{\n \"permissions\": {\"allow\": [\"Bash(ls)\"  ,  \n ]}\n}", 2, 40, "trailing comma")]
    [InlineData("{\n // note\n \"permissions\": {}\n}", 2, 2, "comments are not allowed")]
    [InlineData("{\"permissions\": {} /* note */}", 1, 20, "comments are not allowed")]
    [InlineData("{\"permissions\": {}}\n# trailing", 2, 1, "invalid after a single JSON value")]
    public void A_file_that_is_not_strict_json_is_rejected_at_the_offending_character(string json, int line, int column, string message)
    {
        var s = Read(json);
        Assert.Empty(s.Rules);
        var error = Assert.Single(s.Errors);
        Assert.Equal(new SourceLocation("s.json", line, column), error.Location);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void An_empty_file_is_read_as_an_empty_object_with_a_warning_except_in_the_managed_layer()
    {
        var project = Read("  \n");
        Assert.Empty(project.Errors);
        Assert.Contains("empty settings file", Assert.Single(project.Warnings).Message);
        Assert.Contains("empty managed settings file", Assert.Single(Read("", SettingsLayer.Managed).Errors).Message);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped() =>
        Assert.Single(SettingsFileReader.Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"permissions\":{\"allow\":[\"Bash(ls)\"]}}")],
            "s.json", SettingsLayer.Project, Context).Rules);

    [Fact]
    public void Top_level_value_must_be_an_object() =>
        Assert.Contains("must be a JSON object", Assert.Single(Read("[1,2]").Errors).Message);
}
