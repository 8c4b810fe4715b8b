using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexNetworkRuleTests
{
    private static CodexRulesFile Parse(string text) => CodexRulesParser.Parse(text, "policy.rules");

    [Theory]
    [InlineData("api.github.com", "https", "allow", "api.github.com", "https", CodexDecision.Allow)]
    [InlineData("  API.GitHub.com.:443 ", "https_connect", "prompt", "api.github.com", "https", CodexDecision.Prompt)]
    [InlineData("[::1]:8080", "http-connect", "deny", "::1", "https", CodexDecision.Forbidden)]
    [InlineData("10.0.0.7", "socks5_udp", "forbidden", "10.0.0.7", "socks5_udp", CodexDecision.Forbidden)]
    [InlineData("localhost", "socks5_tcp", "allow", "localhost", "socks5_tcp", CodexDecision.Allow)]
    public void Valid_rules_are_normalised_as_codex_does(string host, string protocol, string decision,
        string expectedHost, string expectedProtocol, CodexDecision expectedDecision)
    {
        var file = Parse($"network_rule(host = \"{host}\", protocol = \"{protocol}\", decision = \"{decision}\", justification = \"why\")");
        Assert.Empty(file.Errors);
        var rule = Assert.Single(file.NetworkRules);
        Assert.Equal((expectedHost, expectedProtocol, expectedDecision, "why"), (rule.Host, rule.Protocol, rule.Decision, rule.Justification));
    }

    [Theory]
    [InlineData("\"x.example\", protocol = \"ftp\", decision = \"allow\"", "policy.rules:1:45: invalid rule: network_rule protocol must be one of http, https, socks5_tcp, socks5_udp (got ftp)")]
    [InlineData("\"x.example\", protocol = \"https\", decision = \"block\"", "policy.rules:1:65: invalid decision: block")]
    [InlineData("\"\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host cannot be empty")]
    [InlineData("\"https://x.example\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host must be a hostname or IP literal (without scheme or path)")]
    [InlineData("\"x.example/api\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host must be a hostname or IP literal (without scheme or path)")]
    [InlineData("\"*.example.com\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host must be a specific host; wildcards are not allowed")]
    [InlineData("\"a b\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host cannot contain whitespace")]
    [InlineData("\"[::1\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host has an invalid bracketed IPv6 literal")]
    [InlineData("\"[::1]x\", protocol = \"https\", decision = \"allow\"", "policy.rules:1:21: invalid rule: network_rule host contains an unsupported suffix: [::1]x")]
    [InlineData("\"x.example\", protocol = \"https\", decision = \"allow\", justification = \"  \"", "policy.rules:1:90: invalid rule: justification cannot be empty")]
    public void Invalid_forms_are_reported_with_codexs_messages_at_their_position(string arguments, string expected)
    {
        var file = Parse($"network_rule(host = {arguments})");
        Assert.Empty(file.NetworkRules);
        Assert.Equal(expected, Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Host_protocol_and_decision_are_required() =>
        Assert.Equal(
            [
                "policy.rules:1:1: network_rule is missing required argument \"protocol\"",
                "policy.rules:1:1: network_rule is missing required argument \"decision\"",
            ],
            Parse("network_rule(host = \"x.example\")").Errors.Select(e => e.ToString()));

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\" \\t\"")]
    public void A_prefix_rule_with_an_empty_justification_is_rejected_as_codex_rejects_it(string justification)
    {
        var file = Parse($"prefix_rule(pattern = [\"ls\"], justification = {justification})");
        Assert.Empty(file.Rules);
        Assert.Equal("policy.rules:1:47: invalid rule: justification cannot be empty", Assert.Single(file.Errors).ToString());
    }
}
