using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Lifecycle;

/// <summary>What a <see cref="CallPipeline"/> knows of its host: approvers, deadlines, whether it runs calls.</summary>
public sealed record PipelineSettings
{
    /// <summary>Answers every ask at once; null leaves asks to operators.</summary>
    public AutomaticApprover? Approver { get; init; }

    public TimeSpan ApprovalTimeout { get; init; } = ApprovalRequestSpec.DefaultTimeout;

    /// <summary>Where an unanswered approval goes when its deadline passes; null denies it.</summary>
    public EscalationPolicy? Escalation { get; init; }

    /// <summary>How long a call waits for the policy or the approval broker (hooks: their own timeout on top).</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether allowed or approved calls of intent execute are run here (false: they fail as not executable).</summary>
    public bool Executes { get; init; }

    /// <summary>Whether runs wait for an execution slot (<see cref="CallEffect.RequestSlot"/>) before they start.</summary>
    public bool LimitsRuns { get; init; }

    /// <summary>Seals the real input of a call whose secrets the journal shows masked, and opens it again at recovery.</summary>
    public InputCipher? Cipher { get; init; }

    /// <summary>Decides only: no journal host needed (the offline check), nothing runs.</summary>
    public static PipelineSettings DecideOnly { get; } = new();
}
