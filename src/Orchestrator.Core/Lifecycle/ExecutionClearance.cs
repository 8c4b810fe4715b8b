using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// A call decided earlier — before an approval, or by an earlier run of the server — is judged again by the current
/// policy just before it runs, so nothing runs that the server would not decide now: a deny stands, an ask needs the
/// recorded approval or grant, and the sandbox is the stricter of the recorded mode and the current one (a mode stored
/// in an event never lowers it).
/// </summary>
public static class ExecutionClearance
{
    public static ExecutionClearanceResult Clear(CallState state, VerdictSummary current)
    {
        if (state.Decided is not { } decided)
            return ExecutionClearanceResult.Refused("the call has no recorded decision, so it is not run");
        if (current.Decision == Decision.Deny)
            return ExecutionClearanceResult.Refused($"the current policy denies this call: {current.Reason}");
        var approved = state.Answer is { Approved: true } || decided.CoveredByGrant is not null;
        if (current.Decision == Decision.Ask && !approved)
            return ExecutionClearanceResult.Refused(
                $"the current policy asks for approval of this call, which an earlier policy allowed: {current.Reason}; submit it again");
        return ExecutionClearanceResult.Cleared(Granted(state, Stricter(decided.Verdict.Mode, current.Mode)));
    }

    /// <summary>
    /// <paramref name="mode"/> with the network the operator granted: also the mode of a call that runs straight after
    /// its decision because a grant covered its ask.
    /// </summary>
    public static RecordedMode Granted(CallState state, RecordedMode mode) =>
        state.Decided is { } decided && NetworkGranted(state, decided, mode)
            ? mode with { Network = NetworkAccess.On }
            : mode;

    /// <summary>
    /// Network <c>ask</c>: a Bash command asked for because it needs the network, and approved (once, or by a session
    /// grant of that very command), runs with the network on — that is what the operator was asked. Any other ask
    /// (a write, an escalation) that was approved leaves the network as the mode says; WebFetch keeps <c>ask</c>, which
    /// lets its executor fetch the approved host only.
    /// </summary>
    private static bool NetworkGranted(CallState state, CallDecided decided, RecordedMode mode) =>
        (state.Answer is { Approved: true } || decided.CoveredByGrant is not null) && mode.Network == NetworkAccess.Ask && state.Received?.Call.ToolName == ToolNames.Bash
        && decided.Verdict is { Decision: Decision.Ask, ReasonClass: ReasonClass.Network };

    /// <summary>The narrower sandbox and network of the two; approval policy and flags come from the recorded mode.</summary>
    public static RecordedMode Stricter(RecordedMode recorded, RecordedMode current) => recorded with
    {
        Sandbox = (SandboxMode)Math.Min((int)recorded.Sandbox, (int)current.Sandbox),
        Network = NetworkRank(current.Network) < NetworkRank(recorded.Network) ? current.Network : recorded.Network,
        Sandboxed = recorded.Sandboxed || current.Sandboxed,
    };

    private static int NetworkRank(NetworkAccess network) => network switch
    {
        NetworkAccess.Off => 0,
        NetworkAccess.Ask => 1,
        _ => 2,
    };
}

/// <summary>Whether a call decided earlier may run now, and under which mode.</summary>
public sealed record ExecutionClearanceResult(RecordedMode? Mode, string? Refusal)
{
    public bool IsCleared => Mode is not null;
    public static ExecutionClearanceResult Cleared(RecordedMode mode) => new(mode, null);
    public static ExecutionClearanceResult Refused(string reason) => new(null, reason);
}
