namespace Orchestrator.Core.Ingress;

public enum AdmissionStatus
{
    Accepted,
    /// <summary>This agent already has its share queued; other agents are still admitted.</summary>
    RejectedAgentFull,
    RejectedGlobalFull,
}
