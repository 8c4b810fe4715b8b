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
    /// <summary>The hook's <c>if</c>: it runs only for calls that match; null runs it for every call its matcher selects.</summary>
    public HookCondition? Condition { get; init; }

    public bool AppliesTo(Calls.ToolCall call) => Condition?.Matches(call) ?? true;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(600);
}
