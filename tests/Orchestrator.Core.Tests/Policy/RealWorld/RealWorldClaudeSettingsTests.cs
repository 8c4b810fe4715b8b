using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Policy.RealWorld;

/// <summary>
/// A Claude Code project settings file as found in the wild (claude-settings.json: auto mode, 52 rules among which a
/// never-matching deny, a malformed allow, an unknown and a lower-case tool, current tool names, hooks with 'if',
/// Claude Code keys we leave alone), loaded unchanged as .orchestrator/settings.json.
/// </summary>
public sealed class RealWorldClaudeSettingsTests : IDisposable
{
    private readonly RealWorldFixture _fixture = RealWorldFixture.ProjectSettings("claude-settings.json");
    private readonly PolicySnapshot _snapshot;

    public RealWorldClaudeSettingsTests() => _snapshot = _fixture.Load();

    public void Dispose() => _fixture.Dispose();

    private Verdict Judge(ToolCall call) => new PolicyEvaluator(_snapshot).Evaluate(call);

    [Fact]
    public void The_file_loads_without_errors_and_auto_mode_maps_to_workspace_write_on_request_accepting_edits()
    {
        Assert.Empty(_snapshot.Errors);
        Assert.False(_snapshot.FailedClosed);
        Assert.Equal(SandboxMode.WorkspaceWrite, _snapshot.SandboxMode);
        Assert.Equal(ApprovalPolicy.OnRequest, _snapshot.ApprovalPolicy);
        Assert.True(_snapshot.AutoAcceptEdits);
        Assert.Equal(_fixture.Find("\"auto\""), _snapshot.Approval!.Origin.Location);
    }

    [Fact]
    public void Every_rule_but_the_two_skipped_ones_applies()
    {
        Assert.Equal(36, _snapshot.AllowRules.Count);
        Assert.Equal(5, _snapshot.AskRules.Count);
        Assert.Equal(9, _snapshot.DenyRules.Count);
        Assert.DoesNotContain(_snapshot.AllRules, r => r.Text is "Bash(rm -r /)*" or "Bash(npm run dev:* --watch)");
        var bashRm = Assert.Single(_snapshot.DenyRules, r => r.Text == "Bash(rm -rf:*)");
        Assert.Equal(_fixture.Find("\"Bash(rm -rf:*)\""), bashRm.Origin.Location);
    }

    [Fact]
    public void Each_odd_rule_and_ignored_setting_is_a_warning_at_its_file_line_and_column()
    {
        Assert.Equal(
            [
                (_fixture.Find("\"Bash(npm run dev:* --watch)\"", 1 + 16),
                    "allow rule \"Bash(npm run dev:* --watch)\" skipped: ':*' must end the pattern ('npm run:*'); use '*' for a wildcard anywhere ('npm * --save')"),
                (_fixture.Find("\"Frobnicate\""),
                    "rule \"Frobnicate\" names tool 'Frobnicate', which no known tool has (tool names are case-sensitive)"),
                (_fixture.Find("\"bash(pwd)\""),
                    "rule \"bash(pwd)\" names tool 'bash', which no known tool has (tool names are case-sensitive); did you mean 'Bash'?"),
                (_fixture.Find("\"Bash(rm -r /)*\"", 1 + 13),
                    "deny rule \"Bash(rm -r /)*\" SKIPPED: what it seems to name is NOT denied: the text after the closing ')' (\"*\") makes " +
                    "Claude Code read the whole rule as a tool name, so it never matches; did you mean \"Bash(rm -r /*)\"?"),
                (_fixture.Find("\"Stop\""), "hook event 'Stop' does not concern tool calls and is ignored"),
            ],
            _snapshot.Warnings.Select(w => (w.Location, w.Message)));
    }

    [Fact]
    public void Ordinary_commands_run_under_the_imported_rules_as_in_claude_code()
    {
        Assert.Equal(Decision.Allow, Judge(_fixture.Bash("ls -la src")).Decision);
        Assert.Equal(Decision.Allow, Judge(_fixture.Bash("npm run test:unit")).Decision);
        Assert.Equal(Decision.Ask, Judge(_fixture.Bash("git push origin main")).Decision);
        Assert.Equal(Decision.Deny, Judge(_fixture.Bash("rm -rf build")).Decision);
        Assert.Equal(Decision.Deny, Judge(_fixture.Bash("cat .env")).Decision);
        Assert.Equal(Decision.Allow, Judge(_fixture.Call(ToolNames.Edit, (ToolInputKeys.FilePath, "src/app.ts"))).Decision);
        Assert.Equal(Decision.Deny, Judge(_fixture.Call(ToolNames.Edit, (ToolInputKeys.FilePath, ".github/workflows/ci.yml"))).Decision);
        Assert.Equal(Decision.Deny, Judge(_fixture.Call(ToolNames.WebFetch, (ToolInputKeys.Url, "https://pastebin.com/raw/x"))).Decision);
    }

    [Fact]
    public void The_skipped_never_matching_deny_leaves_the_command_to_the_classifier_which_still_does_not_allow_it()
    {
        var verdict = Judge(_fixture.Bash("rm -r /"));
        Assert.NotEqual(Decision.Allow, verdict.Decision);
        Assert.NotEqual("Bash(rm -r /)*", verdict.Rule?.Text);
    }

    [Fact]
    public void Current_tool_names_are_rules_like_any_other()
    {
        Assert.Equal(Decision.Allow, Judge(_fixture.Call("PowerShell", ("command", "Get-ChildItem -Recurse"))).Decision);
        Assert.Equal(Decision.Allow, Judge(_fixture.Call("Skill", ("skill", "release-notes"))).Decision);
        // "Task" is Claude Code's former name of Agent: the rule covers Agent calls of any type.
        Assert.Equal("Task", Judge(_fixture.Call("Agent", ("subagent_type", "Plan"))).Rule?.Text);
        Assert.Equal(Decision.Ask, Judge(_fixture.Call("mcp__github__create_pull_request", ("title", "x"))).Decision);
    }

    [Theory]
    [InlineData("gh api repos/o/r/pulls", true)]
    [InlineData("git status && gh api user", true)]
    [InlineData("ls -la", false)]
    [InlineData("gh pr view 12", false)]
    public void The_bash_guard_hook_runs_only_for_calls_its_if_matches(string command, bool guardRuns)
    {
        var hooks = HookConfiguration.From(_snapshot).For(_fixture.Bash(command)).Select(h => h.Command).ToArray();
        Assert.Contains("$CLAUDE_PROJECT_DIR/.claude/hooks/audit.sh", hooks);
        Assert.Equal(guardRuns, hooks.Contains("$CLAUDE_PROJECT_DIR/.claude/hooks/gh-api-guard.sh"));
    }

    [Theory]
    [InlineData("Write", "src/components/Button.tsx", true)]
    [InlineData("Edit", "docs/README.md", false)]
    public void The_formatter_hook_runs_only_for_edits_under_src(string tool, string path, bool runs) =>
        Assert.Equal(runs, HookConfiguration.From(_snapshot).For(_fixture.Call(tool, (ToolInputKeys.FilePath, path))).Count == 1);
}
