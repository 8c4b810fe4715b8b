using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox;

/// <summary>
/// What a sandboxed command may touch. Paths are absolute and canonical. <see cref="ProtectedPaths"/> lie inside
/// writable roots and stay read-only whether or not they exist yet; <see cref="HiddenPaths"/> are not readable at all.
/// </summary>
public sealed record SandboxProfile
{
    public required SandboxMode Mode { get; init; }
    public NetworkAccess Network { get; init; } = NetworkAccess.Off;
    public ImmutableArray<string> WritableRoots { get; init; } = [];
    public ImmutableArray<string> ProtectedPaths { get; init; } = [];
    public ImmutableArray<string> HiddenPaths { get; init; } = [];
    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    public bool NetworkAllowed => Network == NetworkAccess.On;
}
