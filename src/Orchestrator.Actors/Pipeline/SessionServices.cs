using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Pipeline;

/// <summary>The collaborators every session talks to, created once by the supervisor.</summary>
public sealed record SessionServices(
    IActorRef Policy,
    IActorRef Approvals,
    IActorRef CallIndex,
    PipelineOptions Options)
{
    /// <summary>The call index's table: a new id is claimed in it directly once it is complete (else through the index).</summary>
    public CallIdTable? CallIds { get; init; }

    /// <summary>The recorded policies a session judges a call with itself; null (or a workspace not there) asks <see cref="Policy"/>.</summary>
    public JudgingPolicies? Policies { get; init; }

    /// <summary>Where a recorded call's events are: a session reads a call it no longer holds from that range of its journal.</summary>
    public ICallDirectory? CallDirectory { get; init; }

    /// <summary>Where allowed or approved calls run; null when this pipeline only decides.</summary>
    public ExecutionServices? Execution { get; init; }

    /// <summary>The actor that runs the PreToolUse hooks of the workspace that judged a call.</summary>
    public HookServices? Hooks { get; init; }

    /// <summary>What each session's <see cref="CallPipeline"/> knows of this host.</summary>
    public PipelineSettings PipelineSettings(InputCipher? cipher) => new()
    {
        Approver = Options.Approver,
        ApprovalTimeout = Options.ApprovalTimeout,
        Escalation = Options.Escalation,
        StageTimeout = Options.StageTimeout,
        Executes = Execution is not null,
        LimitsRuns = Execution?.Slots is not null,
        Cipher = cipher,
    };
}

public sealed record HookServices(IActorRef Runner);

/// <summary>
/// The sandbox supervisor, the policy snapshot a call's sandbox profile derives from, and the sandbox used to plan
/// (the platform's own; the workers run their own instances); <see cref="Slots"/> caps concurrent runs.
/// </summary>
public sealed record ExecutionServices(IActorRef Sandbox, PolicySnapshot Snapshot, ICommandSandbox PlanningSandbox)
{
    /// <summary>The supervisor's workers that are running now: a session sends a run straight to its worker.</summary>
    public WorkerDirectory Workers { get; init; } = new();

    /// <summary>The execution slots (the gate of <see cref="Execution.ExecutionSlots"/>), taken synchronously; null runs without caps.</summary>
    public SlotGate? Slots { get; init; }

    /// <summary>The in-process executors of structured calls (Read, Write, Edit, …), run off the session's mailbox.</summary>
    public ToolExecutors Tools { get; init; } = ToolExecutors.Standard;
}
