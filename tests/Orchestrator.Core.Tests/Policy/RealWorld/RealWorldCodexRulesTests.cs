using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Policy.RealWorld;

/// <summary>Codex .rules files with host_executable and network_rule, loaded as the project's .orchestrator/rules/.</summary>
public class RealWorldCodexRulesTests
{
    [Fact]
    public void Host_executables_let_a_prefix_rule_cover_exactly_the_listed_paths()
    {
        using var fixture = RealWorldFixture.ProjectRules("codex-host-network.rules");
        var snapshot = fixture.Load();
        Assert.Empty(snapshot.Errors);
        var policy = new PolicyEvaluator(snapshot);

        var plain = policy.Evaluate(fixture.Bash("terraform plan -out tf.plan"));
        Assert.Equal((Decision.Allow, ReasonClass.RuleAllow), (plain.Decision, plain.ReasonClass));
        var listed = policy.Evaluate(fixture.Bash($"{fixture.Home}/.local/bin/terraform plan"));
        Assert.Equal((Decision.Allow, ReasonClass.RuleAllow), (listed.Decision, listed.ReasonClass));
        Assert.Equal(fixture.Find("prefix_rule(", occurrence: 3), listed.Rule!.Origin.Location);
        var unlisted = policy.Evaluate(fixture.Bash("/tmp/tools/terraform plan"));
        Assert.NotEqual(ReasonClass.RuleAllow, unlisted.ReasonClass);
        Assert.Equal(Decision.Ask, unlisted.Decision);
    }

    [Fact]
    public void Prompt_and_forbidden_prefix_rules_apply_by_program_name_at_any_path()
    {
        using var fixture = RealWorldFixture.ProjectRules("codex-host-network.rules");
        var policy = new PolicyEvaluator(fixture.Load());
        Assert.Equal(Decision.Ask, policy.Evaluate(fixture.Bash("/usr/local/bin/git push origin main")).Decision);
        Assert.Equal(Decision.Deny, policy.Evaluate(fixture.Bash("rm -rf build")).Decision);
        Assert.Equal(Decision.Deny, policy.Evaluate(fixture.Bash("/bin/rm -rf build")).Decision);
    }

    [Theory]
    [InlineData("https://api.github.com/repos/o/r", Decision.Allow)]
    [InlineData("https://registry.npmjs.org/left-pad", Decision.Allow)]
    [InlineData("https://pastebin.com/raw/x", Decision.Deny)]
    [InlineData("http://pastebin.com./raw/x", Decision.Deny)]
    [InlineData("https://metrics.example.com/collect", Decision.Deny)]
    [InlineData("https://uploads.example.com/u", Decision.Ask)]
    public void Network_rules_decide_webfetch_calls_by_host(string url, Decision expected)
    {
        using var fixture = RealWorldFixture.ProjectRules("codex-host-network.rules");
        var verdict = new PolicyEvaluator(fixture.Load()).Evaluate(fixture.Call(ToolNames.WebFetch, (ToolInputKeys.Url, url)));
        Assert.Equal(expected, verdict.Decision);
        Assert.StartsWith("network_rule(", verdict.Rule!.Text);
    }

    [Fact]
    public void Each_network_rule_warns_what_is_not_enforced_yet_and_a_looser_later_rule_is_named()
    {
        using var fixture = RealWorldFixture.ProjectRules("codex-host-network.rules");
        var warnings = fixture.Load().Warnings;
        Assert.Equal(7, warnings.Count);
        Assert.Equal(fixture.Find("network_rule(host = \"pastebin.com\""), warnings[2].Location);
        Assert.Equal(
            "network_rule(host=\"pastebin.com\", protocol=\"https\", decision=\"forbidden\"): it decides WebFetch calls to pastebin.com; " +
            "shell commands are NOT kept from pastebin.com when the network setting is on (the sandbox filters no hosts yet)",
            warnings[2].Message);
        Assert.Contains("protocol socks5_udp is not distinguished", warnings[4].Message);
        var looser = fixture.Find("network_rule(host = \"PASTEBIN.com.\"");
        Assert.Contains(warnings, w => w.Location == looser && w.Message.Contains("comes after a stricter network_rule for pastebin.com"));
    }

    [Fact]
    public void Invalid_forms_fail_the_file_closed_with_codexs_messages_at_their_positions()
    {
        using var fixture = RealWorldFixture.ProjectRules("codex-invalid.rules");
        var snapshot = fixture.Load();

        Assert.True(snapshot.FailedClosed);
        Assert.Empty(snapshot.AllRules);
        Assert.Equal(
            [
                (fixture.Find("\"bin/git\""), "invalid rule: host_executable paths must be absolute or use `~/...` home-relative syntax (got bin/git): path is not absolute: bin/git"),
                (fixture.Find("\"/usr/bin/git\""), "invalid rule: host_executable name must be a bare executable name (got /usr/bin/git)"),
                (fixture.Find("\"/usr/bin/gitx\""), "invalid rule: host_executable path `/usr/bin/gitx` must have basename `git`"),
                (fixture.Find("\"*.example.com\""), "invalid rule: network_rule host must be a specific host; wildcards are not allowed"),
                (fixture.Find("\"ftp\""), "invalid rule: network_rule protocol must be one of http, https, socks5_tcp, socks5_udp (got ftp)"),
                (fixture.Find("\"https://example.com/x\""), "invalid rule: network_rule host must be a hostname or IP literal (without scheme or path)"),
                (fixture.Find("\"block\""), "invalid decision: block"),
                (fixture.Find("justification = \"\"", 16), "invalid rule: justification cannot be empty"),
                (fixture.Find("justification = \" \"", 16), "invalid rule: justification cannot be empty"),
            ],
            snapshot.Errors.Select(e => (e.Location, e.Message)));
        Assert.Equal(Decision.Deny, new PolicyEvaluator(snapshot).Evaluate(fixture.Bash("cat README.md")).Decision);
    }
}
