using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Hooks;

public class HookOutcomeParserTests
{
    private static readonly TimeSpan Took = TimeSpan.FromMilliseconds(12);

    private static HookDefinition Hook(HookFailureMode onFailure = HookFailureMode.Deny) =>
        new("guard", "./guard.sh", TimeSpan.FromSeconds(5), onFailure, new SourceLocation("s.json", 1, 1));

    private static HookOutcome Parse(int? exit, string stdout = "", string stderr = "", HookFailureMode onFailure = HookFailureMode.Deny, string? failure = null) =>
        HookOutcomeParser.Parse(Hook(onFailure), new HookProcessResult(exit, stdout, stderr, Took, failure));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Exit_0_with_plain_output_is_no_objection_and_records_everything()
    {
        var outcome = Parse(0, "checked\n");

        Assert.False(outcome.Failed);
        Assert.Null(outcome.UpdatedInput);
        Assert.Equal(new Orchestrator.Core.History.Events.HookResult("guard", "./guard.sh", 0, null, null, Took, Sha256("checked\n")), outcome.Result);
    }

    [Fact]
    public void Exit_0_with_json_but_no_hook_specific_output_is_no_objection()
    {
        var outcome = Parse(0, """{"continue": true}""");

        Assert.False(outcome.Failed);
        Assert.Null(outcome.Result.Decision);
    }

    [Theory]
    [InlineData("allow", Decision.Allow, "hook 'guard' allowed: looks fine")]
    [InlineData("ask", Decision.Ask, "hook 'guard' asks: looks fine")]
    [InlineData("deny", Decision.Deny, "hook 'guard' denied: looks fine")]
    public void Exit_0_with_a_permission_decision_answers_it_with_its_reason(string decision, Decision expected, string reason)
    {
        var outcome = Parse(0, $$$"""  {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "{{{decision}}}", "permissionDecisionReason": "looks fine"}}""");

        Assert.False(outcome.Failed);
        Assert.Equal(expected, outcome.Result.Decision);
        Assert.Equal(reason, outcome.Result.Reason);
    }

    [Fact]
    public void Updated_input_is_returned_as_an_object_of_strings()
    {
        var outcome = Parse(0, """{"hookSpecificOutput": {"permissionDecision": "allow", "updatedInput": {"command": "ls -la", "description": "x"}}}""");

        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("command", "ls -la").Add("description", "x"), outcome.UpdatedInput);
    }

    [Fact]
    public void Exit_2_denies_with_stderr_as_the_reason()
    {
        var outcome = Parse(2, "ignored", "  rm is not allowed here\n");

        Assert.False(outcome.Failed);
        Assert.Equal(Decision.Deny, outcome.Result.Decision);
        Assert.Equal("hook 'guard' denied: rm is not allowed here", outcome.Result.Reason);
        Assert.Equal(2, outcome.Result.ExitCode);
    }

    [Fact]
    public void Exit_2_without_stderr_still_denies()
    {
        Assert.Equal("hook 'guard' denied (exit code 2)", Parse(2).Result.Reason);
    }

    [Fact]
    public void Exit_2_ignores_json_on_stdout_that_would_allow()
    {
        var outcome = Parse(2, """{"hookSpecificOutput": {"permissionDecision": "allow"}}""", "no");

        Assert.Equal(Decision.Deny, outcome.Result.Decision);
        Assert.Null(outcome.UpdatedInput);
    }

    public static TheoryData<int?, string, string?, string> Failures => new()
    {
        { 1, "", null, "hook 'guard' failed: exit code 1: boom" },
        { 137, "", null, "hook 'guard' failed: exit code 137: boom" },
        { null, "", "timed out after 1s", "hook 'guard' failed: timed out after 1s" },
        { null, "", "could not start: no such file", "hook 'guard' failed: could not start: no such file" },
        { 0, "{not json", null, "hook 'guard' failed: its output starts with '{' but is not valid JSON" },
        { 0, """{"hookSpecificOutput": {"permissionDecision": "yes"}}""", null, "hook 'guard' failed: 'permissionDecision' must be \"allow\", \"deny\" or \"ask\", found \"yes\"" },
        { 0, """{"hookSpecificOutput": {"permissionDecision": 1}}""", null, "hook 'guard' failed: 'permissionDecision' must be" },
        { 0, """{"hookSpecificOutput": "deny"}""", null, "hook 'guard' failed: 'hookSpecificOutput' is not an object" },
        { 0, """{"hookSpecificOutput": {"updatedInput": {"timeout": 5}}}""", null, "hook 'guard' failed: 'updatedInput.timeout' is not a string" },
        { 0, """{"hookSpecificOutput": {"updatedInput": "ls"}}""", null, "hook 'guard' failed: 'updatedInput' is not an object" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failures_deny_with_a_reason_naming_the_hook(int? exit, string stdout, string? failure, string reason)
    {
        var outcome = Parse(exit, stdout, "boom", failure: failure);

        Assert.True(outcome.Failed);
        Assert.Equal(Decision.Deny, outcome.Result.Decision);
        Assert.StartsWith(reason, outcome.Result.Reason);
        Assert.Null(outcome.UpdatedInput);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Failures_of_an_ignore_hook_raise_no_objection_but_are_recorded(int? exit, string stdout, string? failure, string reason)
    {
        var outcome = Parse(exit, stdout, "boom", HookFailureMode.Ignore, failure);

        Assert.True(outcome.Failed);
        Assert.Null(outcome.Result.Decision);
        Assert.StartsWith(reason, outcome.Result.Reason);
        Assert.EndsWith("(ignored: onFailure is \"ignore\")", outcome.Result.Reason);
        Assert.Equal(exit, outcome.Result.ExitCode);
    }

    [Fact]
    public void A_hook_that_never_ran_has_no_output_digest()
    {
        Assert.Null(Parse(null, failure: "circuit breaker open").Result.OutputDigest);
    }

    [Fact]
    public void Long_stderr_is_clipped_in_the_reason()
    {
        var outcome = Parse(2, stderr: new string('x', 5000));

        Assert.True(outcome.Result.Reason!.Length < 1100);
    }
}
