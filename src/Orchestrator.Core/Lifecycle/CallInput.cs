using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// What can happen to a call, fed to <see cref="CallPipeline.Next"/>. Every input carries the clock (<see cref="At"/>);
/// inputs that may open an approval request carry the id it gets, so the pipeline stays a pure function.
/// </summary>
public abstract record CallInput(DateTimeOffset At)
{
    /// <summary>A new call (its id already claimed): decide it, and run it when <paramref name="Intent"/> is execute.</summary>
    public sealed record Submitted(ToolCall Call, CallIntent Intent, DateTimeOffset At) : CallInput(At);

    /// <summary>The policy's verdict on the call the pipeline asked about (the submission, a hook's rewrite, or a re-check before running).</summary>
    public sealed record PolicyAnswered(VerdictSummary Verdict, DateTimeOffset At) : CallInput(At)
    {
        /// <summary>The workspace policy that judged the call: the run's sandbox profile is built from its snapshot.</summary>
        public WorkspacePolicy? Policy { get; init; }

        /// <summary>The PreToolUse hooks of the workspace that judged the call (the session fills them from <see cref="Policy"/>); null or empty runs none.</summary>
        public HookConfiguration? Hooks { get; init; }
    }

    /// <summary>The hooks the pipeline asked for ran: their results and the input the last rewriting hook asked to run instead.</summary>
    public sealed record HooksAnswered(ImmutableArray<HookResult> Results, ImmutableDictionary<string, string>? UpdatedInput, DateTimeOffset At)
        : CallInput(At);

    /// <summary>The approval broker's answer: the live grant that covers this ask, if any.</summary>
    public sealed record GrantAnswered(GrantId? Grant, ApprovalId FreshApprovalId, DateTimeOffset At) : CallInput(At);

    /// <summary>An operator's answer to the call's approval.</summary>
    public sealed record ApprovalAnswerGiven(ApprovalAnswer Answer, DateTimeOffset At) : CallInput(At);

    /// <summary>The deadline timer of an approval request fired.</summary>
    public sealed record ApprovalDeadlineReached(ApprovalId ApprovalId, ApprovalId FreshApprovalId, DateTimeOffset At) : CallInput(At);

    /// <summary>The run was planned (sandbox and profile fixed) from <see cref="CallEffect.PlanExecution"/>.</summary>
    public sealed record ExecutionPlanned(IExecutionPlan Plan, DateTimeOffset At) : CallInput(At);

    /// <summary>The run cannot be planned (e.g. the sandbox cannot enforce the mode): the call fails.</summary>
    public sealed record ExecutionPlanRefused(string Reason, DateTimeOffset At) : CallInput(At);

    public sealed record SlotGranted(DateTimeOffset At) : CallInput(At);

    /// <summary>No execution slot now; one is granted in turn later.</summary>
    public sealed record SlotQueued(string Reason, DateTimeOffset At) : CallInput(At);

    /// <summary>Not even a place in the wait queue: the call fails.</summary>
    public sealed record SlotRefused(string Reason, DateTimeOffset At) : CallInput(At);

    public sealed record ExecutionFinished(ExecutionResult Result, DateTimeOffset At) : CallInput(At);

    /// <summary>The run did not end under watch; when the process may have started the call is interrupted, never retried.</summary>
    public sealed record ExecutionFailed(string Reason, bool ProcessMayHaveStarted, DateTimeOffset At) : CallInput(At);

    /// <summary>A stage refused the call, did not answer in time, or handling the call threw: the call ends, alone.</summary>
    public sealed record StageFailed(string Reason, DateTimeOffset At) : CallInput(At);

    /// <summary>The call's events were replayed after a (re)start: apply DESIGN §2's crash-recovery table.</summary>
    public sealed record Recovered(ApprovalId FreshApprovalId, DateTimeOffset At) : CallInput(At);
}
