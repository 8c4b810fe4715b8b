using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Everything the Windows launcher does, decided in advance: the ACL entries to add, the token, the job, the
/// CreateProcess arguments. <see cref="Guarantees"/> and <see cref="Limitations"/> say plainly what the plan enforces
/// and what it does not; a non-empty <see cref="Refusals"/> means the profile asks for something this plan cannot
/// enforce, and the launcher must not run it.
/// </summary>
public sealed record WindowsLaunchPlan(
    bool Sandboxed,
    WindowsIsolation Isolation,
    string? ApplicationName,
    string CommandLine,
    string WorkingDirectory,
    RestrictedTokenSettings? Token,
    AppContainerSettings? AppContainer,
    JobObjectLimits Job,
    ImmutableArray<AclEntry> Acl,
    ImmutableArray<EnvironmentVariable> Environment,
    ImmutableArray<string> Guarantees,
    ImmutableArray<string> Limitations,
    ImmutableArray<string> Refusals)
{
    [JsonIgnore]
    public bool CanLaunch => Refusals.IsEmpty;
}
