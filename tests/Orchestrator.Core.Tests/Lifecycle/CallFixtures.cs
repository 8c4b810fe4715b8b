using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Lifecycle;

internal static class CallFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly CallId Id = new("call-1");
    public static readonly ApprovalId FirstApproval = new("approval-1");
    public static readonly ApprovalId SecondApproval = new("approval-2");

    public static ToolCall Bash(string command, string id = "call-1", string session = "session-1", string agent = "agent-1") =>
        new(new CallId(id), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            "/work/project", new AgentId(agent), new SessionId(session));

    public static VerdictSummary Verdict(Decision decision, ReasonClass reasonClass = ReasonClass.RuleAsk) => new(
        decision,
        reasonClass,
        $"{decision} because of the test",
        new MatchedRule(RuleDecision.Ask, "Bash(git push:*)", SettingsLayer.Project, ".orchestrator/settings.json", 4, 9),
        "git push writes to a remote",
        new RecordedMode(SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, NetworkAccess.Off, false, true),
        "policy-v1");

    public static ApprovalRequestSpec Spec(ApprovalId? id = null, TimeSpan? timeout = null) =>
        new(id ?? FirstApproval, timeout ?? TimeSpan.FromMinutes(10));

    public static DecisionInput Allow() => DecisionInput.Of(Verdict(Decision.Allow, ReasonClass.ReadOnly));
    public static DecisionInput Deny() => DecisionInput.Of(Verdict(Decision.Deny, ReasonClass.RuleDeny));
    public static DecisionInput Ask(ApprovalId? id = null, TimeSpan? timeout = null) =>
        DecisionInput.Of(Verdict(Decision.Ask), Spec(id, timeout));

    public static ExecutionResult Ran(int exitCode = 0) =>
        new(exitCode, false, null, TimeSpan.FromMilliseconds(42), 10, 0, false, false, "sha256:out", "sha256:err");

    public static ApprovalAnswer Approve(ApprovalId? id = null, GrantScope scope = GrantScope.Once) =>
        new(id ?? FirstApproval, true, scope, "looks fine", "alice");

    public static ApprovalAnswer Refuse(ApprovalId? id = null) => new(id ?? FirstApproval, false, GrantScope.Once, "not today", "bob");

    /// <summary>Runs a decider that must be accepted and returns its result.</summary>
    public static CallCommandResult Accepted(CallCommandResult result)
    {
        Assert.True(result.IsAccepted, result.Rejection?.Message ?? result.Outcome.ToString());
        return result;
    }

    public static CallState Received(string command = "git push origin main", CallIntent intent = CallIntent.Execute) =>
        Accepted(CallLifecycle.Receive(CallState.New(Id), Bash(command), intent, null, T0)).State;

    public static CallState Awaiting(TimeSpan? timeout = null, CallIntent intent = CallIntent.Execute) =>
        Accepted(CallLifecycle.Decide(Received(intent: intent), Ask(timeout: timeout), T0)).State;

    public static CallState Executing()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;
        return Accepted(CallLifecycle.StartExecution(allowed, "linux", "sha256:profile", T0.AddSeconds(1))).State;
    }

    /// <summary>Every event a state's history holds, by re-running the deciders' outputs.</summary>
    public static List<CallEvent> EventsOf(params CallCommandResult[] results) => [.. results.SelectMany(r => r.Events)];
}
