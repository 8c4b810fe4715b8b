using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox;

/// <summary>
/// What a sandboxed command may touch. Paths are absolute and canonical. <see cref="ProtectedPaths"/> lie inside
/// writable roots and stay read-only whether or not they exist yet (the protected names at the top of each root plus
/// <see cref="ProtectedLocations"/>; the Linux sandbox also finds <see cref="ProtectedNames"/> at any depth);
/// <see cref="HiddenPaths"/> and whatever <see cref="HiddenPatterns"/> match are not readable at all, except
/// <see cref="ExposedPaths"/> and <see cref="ExposedPatterns"/> matches inside them.
/// </summary>
public sealed record SandboxProfile
{
    public required SandboxMode Mode { get; init; }
    public NetworkAccess Network { get; init; } = NetworkAccess.Off;
    public ImmutableArray<string> WritableRoots { get; init; } = [];
    public ImmutableArray<string> ProtectedPaths { get; init; } = [];
    /// <summary>Names protected at any depth below a writable root (the defaults and configured ones).</summary>
    public ImmutableArray<string> ProtectedNames { get; init; } = [];
    /// <summary>Exact protected paths with everything beneath: configured absolute ones and git's real directories.</summary>
    public ImmutableArray<string> ProtectedLocations { get; init; } = [];
    public ImmutableArray<string> HiddenPaths { get; init; } = [];
    /// <summary>Read-deny globs; what they match when a command starts is hidden.</summary>
    public ImmutableArray<PathPattern> HiddenPatterns { get; init; } = [];
    /// <summary>Paths inside hidden directories that a Read allow rule names (<c>Read(~/.ssh/known_hosts)</c>): readable again.</summary>
    public ImmutableArray<string> ExposedPaths { get; init; } = [];
    public ImmutableArray<PathPattern> ExposedPatterns { get; init; } = [];
    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    public bool NetworkAllowed => Network == NetworkAccess.On;
}
