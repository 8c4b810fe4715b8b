using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.Lifecycle;

/// <summary>What the session does for a call after the step's events are persisted. Stage answers come back as <see cref="CallInput"/>s.</summary>
public abstract record CallEffect
{
    /// <summary>The submission is durable: answer the submitter (and anyone who resubmitted the same id meanwhile).</summary>
    public sealed record AcknowledgeSubmission : CallEffect;

    /// <summary>Nothing was recorded and nothing will be: tell the submitter why and release the call id.</summary>
    public sealed record RefuseSubmission(string Reason) : CallEffect;

    /// <summary>Ask the policy for a verdict; answered by <see cref="CallInput.PolicyAnswered"/>.</summary>
    public sealed record EvaluatePolicy(ToolCall Call, bool Sandboxed) : CallEffect;

    /// <summary>
    /// Run the <paramref name="Event"/> hooks of <paramref name="Hooks"/> (the judging workspace's), with
    /// <paramref name="Response"/> as their <c>tool_response</c> after a run; answered by <see cref="CallInput.HooksAnswered"/>.
    /// </summary>
    public sealed record RunHooks(ToolCall Call, string PermissionMode, HookConfiguration Hooks,
        HookEvent Event = HookEvent.PreToolUse, HookToolResponse? Response = null) : CallEffect;

    /// <summary>Ask the approval broker for a grant covering this ask; answered by <see cref="CallInput.GrantAnswered"/>.</summary>
    public sealed record FindGrant(ToolCall Call, Decision Decision) : CallEffect;

    /// <summary>(Re)starts the call's stage deadline: when it fires first, feed <see cref="CallInput.StageFailed"/> with <paramref name="Reason"/>.</summary>
    public sealed record StartStageTimer(TimeSpan Timeout, string Reason) : CallEffect;

    public sealed record CancelStageTimer : CallEffect;

    /// <summary>(Re)arms the approval deadline timer; when it fires feed <see cref="CallInput.ApprovalDeadlineReached"/>.</summary>
    public sealed record ScheduleApprovalDeadline(ApprovalId ApprovalId, DateTimeOffset Due) : CallEffect;

    public sealed record CancelApprovalDeadline : CallEffect;

    /// <summary>Plan the run of <paramref name="Call"/> under <paramref name="Mode"/>; feed <see cref="CallInput.ExecutionPlanned"/> or <see cref="CallInput.ExecutionPlanRefused"/>.</summary>
    /// <paramref name="JudgedBy"/> is the workspace policy of the latest verdict, whose snapshot the profile is built from (null: the host's default);
    /// <paramref name="JudgedFacts"/> what that verdict observed on the filesystem (a structured tool opens only the paths it was judged on).
    public sealed record PlanExecution(ToolCall Call, RecordedMode Mode, WorkspacePolicy? JudgedBy = null, Paths.FileFacts? JudgedFacts = null) : CallEffect;

    /// <summary>Ask for an execution slot; answered by <see cref="CallInput.SlotGranted"/>, <see cref="CallInput.SlotQueued"/> or <see cref="CallInput.SlotRefused"/>.</summary>
    public sealed record RequestSlot(AgentId Agent) : CallEffect;

    /// <summary>The call no longer needs its execution slot (held or waited for).</summary>
    public sealed record ReleaseSlot : CallEffect;

    /// <summary>Run the plan (its <c>ExecutionStarted</c> is durable); answered by <see cref="CallInput.ExecutionFinished"/> or <see cref="CallInput.ExecutionFailed"/>.</summary>
    public sealed record Execute(IExecutionPlan Plan) : CallEffect;

    /// <summary>The call is terminal: answer whoever waits for its end.</summary>
    public sealed record AnswerWatchers : CallEffect;
}
