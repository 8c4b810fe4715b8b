namespace Orchestrator.Core.Lifecycle;

public enum RejectionCode
{
    /// <summary>No call with this id has been received.</summary>
    UnknownCall,
    /// <summary>The call is not waiting for a decision (already decided, or finished).</summary>
    NotAwaitingDecision,
    /// <summary>The call has no open approval request.</summary>
    NoApprovalPending,
    /// <summary>The approval id was never issued for this call.</summary>
    UnknownApproval,
    /// <summary>The approval was already answered; the first answer stands.</summary>
    DuplicateAnswer,
    /// <summary>The approval timed out (and was denied or escalated) before this answer.</summary>
    StaleAnswer,
    /// <summary>The deadline has passed; the timeout is due and wins over a late answer.</summary>
    DeadlinePassed,
    TimeoutNotDue,
    /// <summary>The call may not start executing in its current state.</summary>
    NotExecutable,
    /// <summary>The call's input had secrets masked and was recovered from the history: it cannot run as submitted.</summary>
    OriginalInputLost,
    NotExecuting,
    /// <summary>The call already completed or was interrupted.</summary>
    AlreadyTerminal,
    /// <summary>The answer came from the token that submitted the call: a second party must approve it.</summary>
    SubmitterCannotApprove,
}
