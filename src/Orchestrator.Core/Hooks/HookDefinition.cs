using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// One configured hook. <see cref="Command"/> is the shell command of a command hook, or the URL an http hook POSTs
/// the same JSON to (with <see cref="Headers"/>). <see cref="Name"/> defaults to the command text or URL.
/// </summary>
public sealed record HookDefinition(
    string Name,
    string Command,
    TimeSpan Timeout,
    HookFailureMode OnFailure,
    SourceLocation Location)
{
    /// <summary>The hook's <c>if</c>: it runs only for calls that match; null runs it for every call its matcher selects.</summary>
    public HookCondition? Condition { get; init; }

    public HookType Type { get; init; } = HookType.Command;

    /// <summary>Extra request headers of an http hook; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public bool AppliesTo(Calls.ToolCall call) => Condition?.Matches(call) ?? true;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(600);
}
