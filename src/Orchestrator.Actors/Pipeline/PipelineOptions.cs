using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Approval;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Pipeline;

/// <summary>How the call pipeline behaves: who answers approvals, how long operators have, and how restarts recover.</summary>
public sealed record PipelineOptions
{
    /// <summary>Answers every ask at once (unattended and load-test use); null leaves asks to operators.</summary>
    public AutomaticApprover? Approver { get; init; }

    /// <summary>How long an operator has to answer before the call is denied (or escalated).</summary>
    public TimeSpan ApprovalTimeout { get; init; } = ApprovalRequestSpec.DefaultTimeout;

    /// <summary>Where an unanswered approval goes when its deadline passes; null denies it.</summary>
    public EscalationPolicy? Escalation { get; init; }

    /// <summary>
    /// Whether always grants are written as allow rules to their workspace's <c>.orchestrator/settings.local.json</c>
    /// (<see cref="Approvals.AlwaysRuleWriter"/>); false keeps them in the journal only.
    /// </summary>
    public bool WriteAlwaysRules { get; init; } = true;

    /// <summary>Told of each new pending approval (the webhook channel); null tells nobody.</summary>
    public Approvals.IApprovalNotifier? ApprovalNotifier { get; init; }

    /// <summary>Sessions recovered at once when the server starts (SQLite stalls when hundreds replay together).</summary>
    public int RecoveryParallelism { get; init; } = 16;

    /// <summary>Session recovery at start waits for this first (tests hold it to observe a server that is recovering); null: no wait.</summary>
    public Task? RecoveryGate { get; init; }

    /// <summary>
    /// A session with nothing in flight (no running call, no pending approval, no waiting reader) stops after this long
    /// idle and is recovered from the journal on its next message; null keeps every session in memory.
    /// </summary>
    public TimeSpan? PassivateAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A session saves a sealed snapshot of its state every this many events, so a restart replays only the events
    /// after it; null never snapshots.
    /// </summary>
    public int? SnapshotEvery { get; init; } = 1000;

    /// <summary>
    /// Finished calls a session keeps in memory (the most recent); older ones leave its hot state and are read from the
    /// journal on demand (only that call's events, the range the call directory names). Enough for an agent polling its
    /// own recent calls; 256 held ~160 MiB more at 1,000 busy agents, every call surviving into the older generations
    /// (BENCHMARKS.md, "The journal writer's page cache").
    /// </summary>
    public int FinishedCallsKept { get; init; } = 32;

    /// <summary>How many runs' recorded outputs a session keeps in memory (the most recent); older ones are read from the journal.</summary>
    public int OutputsKept { get; init; } = 64;

    /// <summary>How long a session keeps a finished call in memory at most (then as for <see cref="FinishedCallsKept"/>).</summary>
    public TimeSpan FinishedCallKeptFor { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Where recorded calls are (call id → session and its events' range): recovery wakes only the sessions with
    /// unfinished calls, the call index finds calls of sessions that are not awake. Null: the journal's own
    /// (<see cref="Journal.CallDirectory"/>).
    /// </summary>
    public ICallDirectory? CallDirectory { get; init; }

    /// <summary>How long a call waits for the policy or the broker before it is refused.</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether allowed or approved calls of intent execute are run (false: they fail as not executable here).</summary>
    public bool Execute { get; init; } = true;

    /// <summary>Executions running at once, all agents together (beyond it calls wait, recorded as queued).</summary>
    public int MaxRuns { get; init; } = 4 * Environment.ProcessorCount;

    /// <summary>Executions running at once for one agent (beyond it its calls wait, recorded as queued).</summary>
    public int MaxRunsPerAgent { get; init; } = 8;

    /// <summary>The sandbox each execution worker uses; null is this machine's platform sandbox.</summary>
    public Func<WorkerKind, ICommandSandbox>? SandboxFor { get; init; }

    /// <summary>Bounds on every run beyond the planner's defaults (the in-process <c>orchestrator run</c>); null keeps them.</summary>
    public RunLimits? RunLimits { get; init; }

    /// <summary>The executors of structured calls; null: <see cref="Sandbox.Tools.ToolExecutors.Standard"/>.</summary>
    public Sandbox.Tools.ToolExecutors? Tools { get; init; }

    /// <summary>Runs hook commands; null is <see cref="ShellHookProcessRunner"/>.</summary>
    public IHookProcessRunner? HookRunner { get; init; }

    /// <summary>First pause before a failed approval broker starts again (doubling up to 30 s, never giving up).</summary>
    public TimeSpan StageRestartBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How often the policy stage compares each workspace's settings files with what its policy was built from, besides
    /// watching them (watchers miss events); null only watches.
    /// </summary>
    public TimeSpan? PolicyRecheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    public static PipelineOptions Default { get; } = new();
}
