using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Hooks;

/// <summary>One configured command hook. <see cref="Name"/> defaults to the command text.</summary>
public sealed record HookDefinition(
    string Name,
    string Command,
    TimeSpan Timeout,
    HookFailureMode OnFailure,
    SourceLocation Location)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(600);
}
