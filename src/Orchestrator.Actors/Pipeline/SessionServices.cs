using Akka.Actor;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Pipeline;

/// <summary>The collaborators every session talks to, created once by the supervisor.</summary>
public sealed record SessionServices(
    IActorRef Policy,
    IActorRef Approvals,
    IActorRef CallIndex,
    PipelineOptions Options)
{
    /// <summary>Where allowed or approved calls run; null when this pipeline only decides.</summary>
    public ExecutionServices? Execution { get; init; }

    /// <summary>The PreToolUse hooks and the actor that runs them; without hooks the automatic path records one event per decision.</summary>
    public HookServices? Hooks { get; init; }

    /// <summary>What each session's <see cref="CallPipeline"/> knows of this host.</summary>
    public PipelineSettings PipelineSettings(InputCipher? cipher) => new()
    {
        Approver = Options.Approver,
        ApprovalTimeout = Options.ApprovalTimeout,
        Escalation = Options.Escalation,
        StageTimeout = Options.StageTimeout,
        Hooks = Hooks?.Configuration,
        Executes = Execution is not null,
        LimitsRuns = Execution?.Slots is not null,
        Cipher = cipher,
    };
}

public sealed record HookServices(IActorRef Runner, HookConfiguration Configuration);

/// <summary>
/// The sandbox supervisor, the policy snapshot a call's sandbox profile derives from, and the sandbox used to plan
/// (the platform's own; the workers run their own instances); <see cref="Slots"/> caps concurrent runs.
/// </summary>
public sealed record ExecutionServices(IActorRef Sandbox, PolicySnapshot Snapshot, ICommandSandbox PlanningSandbox)
{
    /// <summary>The <see cref="Execution.ExecutionSlots"/>; null runs without caps.</summary>
    public IActorRef? Slots { get; init; }
}
