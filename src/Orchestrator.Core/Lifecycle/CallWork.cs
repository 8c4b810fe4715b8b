using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// The in-flight working data of one call that no event records (yet): what it waits for, the unmasked input that runs,
/// hook results before the decision is recorded, the plan. Lives in <see cref="CallState.Work"/> and is lost with the
/// process; recovery rebuilds what it can from the journal.
/// </summary>
public sealed record CallWork
{
    public AwaitedStage Awaiting { get; init; }

    /// <summary>The call as submitted or as a hook rewrote it, unmasked; null when only the masked copy is known (it must not run).</summary>
    public ToolCall? Runnable { get; init; }

    public CallIntent Intent { get; init; }

    /// <summary>The verdict waiting for the hooks (policy's) or for the grant lookup (folded with the hooks).</summary>
    public VerdictSummary? Verdict { get; init; }

    /// <summary>The hook results once the hooks ran (hooks never run twice for one call); default until then.</summary>
    public ImmutableArray<HookResult> HookResults { get; init; }

    public bool HooksRan => !HookResults.IsDefault;

    /// <summary>The input a hook rewrote the call to (unmasked; masked when recorded).</summary>
    public ImmutableDictionary<string, string>? UpdatedInput { get; init; }

    /// <summary>The mode a call decided earlier runs under after <see cref="ExecutionClearance"/>: the stricter of recorded and current.</summary>
    public RecordedMode? ClearedMode { get; init; }

    /// <summary>What the clearance verdict observed on the filesystem (the facts the run is held to, instead of the decision's).</summary>
    public Paths.FileFacts? ClearedFacts { get; init; }

    public IExecutionPlan? Plan { get; init; }

    /// <summary>The workspace policy of the latest verdict: the run's sandbox profile is built from its snapshot.</summary>
    public WorkspacePolicy? JudgedBy { get; init; }

    /// <summary>An execution slot was asked for (held or waited for): it must be released when the call ends.</summary>
    public bool SlotRequested { get; init; }

    /// <summary>The hooks of the workspace that judged the call: PermissionRequest and post hooks are looked up here.</summary>
    public Hooks.HookConfiguration? Hooks { get; init; }

    /// <summary>The PermissionRequest hooks were asked (they run at most once for a call).</summary>
    public bool PermissionHooksRan { get; init; }

    /// <summary>A PermissionRequest hook allowed the ask with a rewrite: its reason, for the verdict on the rewrite.</summary>
    public string? PermissionAllowReason { get; init; }

    /// <summary>The approval id the grant lookup handed out, kept for the approval a PermissionRequest hook leaves to a person.</summary>
    public ApprovalId? FreshApprovalId { get; init; }
}

/// <summary>Which answer a call waits for.</summary>
public enum AwaitedStage
{
    None,
    /// <summary>The policy's verdict for the decision (on the submission or a hook's rewrite).</summary>
    Policy,
    Hooks,
    Grant,
    /// <summary>The current policy's verdict on a call decided earlier, just before it runs (<see cref="ExecutionClearance"/>).</summary>
    Clearance,
    Plan,
    Slot,
    Execution,
    /// <summary>The PermissionRequest hooks' answer to a call that would ask a person.</summary>
    PermissionHooks,
    /// <summary>The PostToolUse / PostToolUseFailure hooks' answer after the run (its end is recorded).</summary>
    PostHooks,
}
