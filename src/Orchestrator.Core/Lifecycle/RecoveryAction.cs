namespace Orchestrator.Core.Lifecycle;

/// <summary>What the call actor does after recovery (DESIGN §2, crash-recovery table).</summary>
public enum RecoveryAction
{
    /// <summary>Nothing left to do: the call is terminal (or unknown).</summary>
    None,
    /// <summary>Received but not decided: run policy and hooks again (they are deciders, re-running is safe).</summary>
    RerunDecision,
    /// <summary>Decided ask, but no approval request was recorded: request one (<see cref="CallLifecycle.RequestApproval"/>).</summary>
    RequestApproval,
    /// <summary>Still pending with the same approval id; schedule the timeout at the recorded deadline.</summary>
    AwaitApproval,
    /// <summary>Allowed or approved and never started (no ExecutionStarted, so nothing was spawned): run it.</summary>
    StartExecution,
}
