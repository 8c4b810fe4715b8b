using System.Collections.Immutable;
using System.Text;
using CsCheck;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Hooks;

public class HookConditionTests
{
    private const string Project = "/proj";

    private static HookConfiguration Configure(string matcher, string condition)
    {
        var json = $$$"""
            {"hooks": {"PreToolUse": [{"matcher": "{{{matcher}}}", "hooks": [
              {"type": "command", "command": "guard", "if": "{{{condition.Replace("\"", "\\\"")}}}"},
              {"type": "command", "command": "audit"}]}]}}
            """;
        var hooks = (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(json), "/proj/.orchestrator/settings.json")).Find("hooks")!.Value;
        var configuration = HookConfiguration.Parse([hooks], Project, "/home/u");
        Assert.Empty(configuration.Errors);
        return configuration;
    }

    private static ToolCall Call(string tool, params (string Key, string Value)[] input) =>
        new(new CallId("c1"), tool, input.ToImmutableDictionary(p => p.Key, p => p.Value), Project, new AgentId("a"), new SessionId("s"));

    private static bool GuardRuns(HookConfiguration configuration, ToolCall call)
    {
        var hooks = configuration.For(call).Select(h => h.Command).ToArray();
        Assert.Contains("audit", hooks); // the hook without an 'if' always runs
        return hooks.Contains("guard");
    }

    [Theory]
    [InlineData("gh api repos/x/y", true)]
    [InlineData("gh api", true)]
    [InlineData("gh pr list", false)]
    [InlineData("ls", false)]
    [InlineData("echo gh api x", false)]
    [InlineData("ls && gh api x", true)]
    [InlineData("ls; gh api x | jq .", true)]
    [InlineData("echo $(gh api x)", true)]
    [InlineData("GH_TOKEN=1 gh api x", true)]
    [InlineData("/usr/bin/gh api x", true)]
    [InlineData("timeout 5 gh api x", true)]
    [InlineData("env A=1 nice -n 5 gh api x", true)]
    [InlineData("bash -c 'gh api x'", true)]
    [InlineData("sh -c \"ls && gh api x\"", true)]
    [InlineData("gh $SUBCOMMAND", true)]
    [InlineData("$TOOL api x", true)]
    [InlineData("echo $HOME", false)]
    [InlineData("echo 'unterminated", true)]
    [InlineData("trap 'gh api x' EXIT", true)]
    [InlineData("x='a[$(gh api x)]'; echo $((x))", true)]
    [InlineData("sh -c '[[ x || gh api x ]]'", true)]
    [InlineData("echo $((1 + 2)); ls ~+", false)]
    public void A_bash_condition_runs_the_hook_when_any_simple_command_matches_or_cannot_be_told(string command, bool runs) =>
        Assert.Equal(runs, GuardRuns(Configure("Bash", "Bash(gh api *)"), Call("Bash", ("command", command))));

    [Fact]
    public void In_any_list_or_pipeline_the_guard_runs_exactly_when_some_simple_command_matches()
    {
        var configuration = Configure("Bash", "Bash(gh api *)");
        var commands = Gen.OneOf(
            ("gh api repos/x", true), ("timeout 9 gh api user", true), ("GH_DEBUG=1 gh api x", true), ("/opt/gh/bin/gh api x", true),
            ("ls -la", false), ("echo gh api", false), ("gh pr list", false), ("git status", false), ("ghapi x", false));
        var separators = Gen.OneOf(" && ", " || ", "; ", " | ", "\n");
        Gen.Select(commands.Array[1, 5], separators.Array[4]).Sample(t =>
        {
            var (parts, glue) = t;
            var script = new StringBuilder(parts[0].Item1);
            for (var i = 1; i < parts.Length; i++) script.Append(glue[i - 1]).Append(parts[i].Item1);
            return GuardRuns(configuration, Call("Bash", ("command", script.ToString()))) == parts.Any(p => p.Item2);
        }, iter: 500);
    }

    [Fact]
    public void A_hook_with_an_if_never_runs_for_another_tool()
    {
        var configuration = Configure("*", "Bash(gh api *)");
        Assert.False(GuardRuns(configuration, Call("Read", ("file_path", "/proj/gh"))));
        Assert.True(GuardRuns(configuration, Call("Bash", ("command", "gh api x"))));
    }

    [Theory]
    [InlineData("Write", "/proj/src/app.ts", true)]
    [InlineData("Edit", "src/app.ts", true)]
    [InlineData("MultiEdit", "/proj/src/deep/x.ts", true)]
    [InlineData("Write", "/proj/docs/x.md", false)]
    [InlineData("Write", "/proj/src/../docs/x.md", false)]
    public void An_edit_condition_covers_every_file_editing_tool_by_path(string tool, string path, bool runs) =>
        Assert.Equal(runs, GuardRuns(Configure("Edit|Write|MultiEdit", "Edit(src/**)"), Call(tool, ("file_path", path))));

    [Theory]
    [InlineData("https://api.github.com/repos", true)]
    [InlineData("https://example.com/", false)]
    public void A_webfetch_condition_matches_the_host(string url, bool runs) =>
        Assert.Equal(runs, GuardRuns(Configure("WebFetch", "WebFetch(domain:api.github.com)"), Call("WebFetch", ("url", url))));

    [Fact]
    public void Other_tools_match_their_input_values_as_a_wildcard()
    {
        var configuration = Configure("Agent|Task", "Agent(Explore)");
        Assert.True(GuardRuns(configuration, Call("Task", ("subagent_type", "Explore"))));
        Assert.False(GuardRuns(configuration, Call("Agent", ("subagent_type", "Plan"))));
    }

    private static IReadOnlyList<PolicyLoadError> Problems(string hookJson, out IReadOnlyList<PolicyLoadError> warnings)
    {
        var json = "{\"hooks\": {\"PreToolUse\": [" + hookJson + "]}}";
        var hooks = (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(json), "s.json")).Find("hooks")!.Value;
        var configuration = HookConfiguration.Parse([hooks], Project, "/home/u");
        warnings = configuration.Warnings;
        return configuration.Errors;
    }

    [Theory]
    [InlineData("Bash(gh api *", 113, "missing its closing ')'")]
    [InlineData("Bash(gh api)*", 112, "never matches")]
    [InlineData("Read(src:*)", 108, "only for Bash prefix rules")]
    [InlineData("", 100, "empty rule")]
    public void A_condition_that_is_not_a_usable_rule_is_a_positioned_error(string condition, int column, string message)
    {
        var errors = Problems($$"""{"matcher": "Bash", "hooks": [{"type": "command", "command": "x", "if": "{{condition}}"}]}""", out _);
        var error = Assert.Single(errors);
        Assert.Equal(new SourceLocation("s.json", 1, column), error.Location);
        Assert.Contains("hook 'if'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_condition_that_is_not_a_string_is_an_error()
    {
        var errors = Problems("""{"matcher": "Bash", "hooks": [{"type": "command", "command": "x", "if": ["Bash(ls)"]}]}""", out _);
        Assert.Contains("must be a permission rule string", Assert.Single(errors).Message);
    }

    [Fact]
    public void An_if_on_the_matcher_entry_is_a_warning_and_the_hooks_run_for_every_call()
    {
        var errors = Problems("""{"matcher": "Bash", "if": "Bash(gh *)", "hooks": [{"type": "command", "command": "x"}]}""", out var warnings);
        Assert.Empty(errors);
        Assert.Contains("belongs on each hook", Assert.Single(warnings).Message);
    }
}
