using Orchestrator.Sandbox.Linux.Mounts;

namespace Orchestrator.SandboxHelper;

/// <summary>The parsed command line.</summary>
internal sealed record HelperOptions
{
    public IReadOnlyList<PathRule> Rules { get; init; } = [];
    public bool Landlock { get; init; }
    public bool NetworkAllowed { get; init; }
    public bool Scope { get; init; }
    public bool Seccomp { get; init; }
    public IReadOnlyList<string> Cgroups { get; init; } = [];
    public IReadOnlyList<ResourceLimit> Limits { get; init; } = [];
    public bool Setsid { get; init; }
    public bool DropCapabilities { get; init; }
    public string? WorkingDirectory { get; init; }
    public bool RequireLandlock { get; init; }
    public bool RequireSeccomp { get; init; }
    public int? StatusFd { get; init; }
    public int? LifelineFd { get; init; }
    public int? DieWithParent { get; init; }
    public bool MountNamespace { get; init; }
    public bool PrivateTmp { get; init; }
    public IReadOnlyList<string> Keep { get; init; } = [];
    public IReadOnlyList<string> KeepReadOnly { get; init; } = [];
    public IReadOnlyList<MountOp> MountOps { get; init; } = [];
    public bool Probe { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
}
