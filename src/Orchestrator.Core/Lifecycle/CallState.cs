using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

/// <summary>One call's state, folded from its events by <see cref="CallLifecycle.Apply"/>.</summary>
public sealed record CallState
{
    public required CallId CallId { get; init; }
    public CallStatus Status { get; init; }
    public CallReceived? Received { get; init; }
    public CallDecided? Decided { get; init; }
    /// <summary>The open approval request, while <see cref="Status"/> is <see cref="CallStatus.AwaitingApproval"/>.</summary>
    public ApprovalRequested? PendingApproval { get; init; }
    /// <summary>The most recent approval request, open or closed.</summary>
    public ApprovalRequested? LastApproval { get; init; }
    /// <summary>Requests closed by a timeout (escalated or not); answers to them are stale.</summary>
    public ImmutableDictionary<ApprovalId, ApprovalTimedOut> TimedOutApprovals { get; init; } =
        ImmutableDictionary<ApprovalId, ApprovalTimedOut>.Empty;
    public ApprovalAnswered? Answer { get; init; }
    /// <summary>Set while (and after) the call waited for an execution slot.</summary>
    public ExecutionQueued? Queued { get; init; }
    public ExecutionStarted? Execution { get; init; }
    /// <summary>How the run ended, without its recorded output (<see cref="ExecutionResult.Output"/> is null here), so the state of a session's calls stays small.</summary>
    public ExecutionFinished? Finished { get; init; }
    /// <summary>The post hooks' results, once recorded (between the end of the run and the completion).</summary>
    public PostToolHooksRan? PostHooks { get; init; }
    public CallCompleted? Completion { get; init; }
    public CallInterrupted? Interruption { get; init; }

    /// <summary>
    /// Set by recovery when the recorded input had secrets masked: the original is gone, so the call must not run.
    /// Not an event — it describes this process's knowledge, not the call.
    /// </summary>
    public bool OriginalInputLost { get; init; }

    /// <summary>The in-flight working data no event records (null when nothing is in flight). Not part of the recorded state.</summary>
    public CallWork? Work { get; init; }

    public static CallState New(CallId callId) => new() { CallId = callId, Status = CallStatus.New };

    public ToolCall? Call => Received?.Call;
    public CallIntent Intent => Received?.Intent ?? CallIntent.Execute;
    public Decision? Decision => Decided?.Verdict.Decision;
    public bool IsTerminal => Status.IsTerminal();

    public CallOutcome? Outcome => Status switch
    {
        CallStatus.Completed => Completion!.Outcome,
        CallStatus.Interrupted => CallOutcome.Interrupted,
        _ => null,
    };
}
