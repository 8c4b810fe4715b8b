namespace Orchestrator.Sandbox;

/// <summary>Per-command resource limits; enforced by the cgroup when one can be joined, by rlimits otherwise.</summary>
public sealed record ResourceLimits(
    int MaxProcesses = 512,
    long MaxMemoryBytes = 4L * 1024 * 1024 * 1024,
    int MaxOpenFiles = 4096,
    long MaxFileSizeBytes = 8L * 1024 * 1024 * 1024,
    int? CpuSeconds = null)
{
    public static readonly ResourceLimits Default = new();
}
