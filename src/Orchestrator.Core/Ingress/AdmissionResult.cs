namespace Orchestrator.Core.Ingress;

/// <summary>Whether a submission was queued; when not, a suggested wait before retrying (HTTP 429 Retry-After).</summary>
public readonly record struct AdmissionResult(AdmissionStatus Status, TimeSpan RetryAfter)
{
    public bool Accepted => Status == AdmissionStatus.Accepted;

    public static AdmissionResult Admitted => new(AdmissionStatus.Accepted, TimeSpan.Zero);
}
