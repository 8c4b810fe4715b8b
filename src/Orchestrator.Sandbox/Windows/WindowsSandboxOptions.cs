using System.Collections.Immutable;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Host facts the pure plan builder cannot discover.
/// <see cref="SandboxSid"/> names the sandbox in ACL entries: with a restricted token it is the restricting SID that
/// writable roots are granted to; with an AppContainer it must be the container's SID (derived from
/// <see cref="AppContainerName"/> on Windows). Keep it stable per workspace so repeated runs reuse the same ACEs.
/// </summary>
public sealed record WindowsSandboxOptions(string SandboxSid, string PrivateTempDirectory)
{
    /// <summary>When set, the plan isolates with this AppContainer instead of a restricted token.</summary>
    public string? AppContainerName { get; init; }

    /// <summary>The scrubbed base environment; the request's variables are layered on top.</summary>
    public ImmutableDictionary<string, string> BaseEnvironment { get; init; } = ImmutableDictionary<string, string>.Empty;
}
