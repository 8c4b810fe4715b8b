using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// The hooks of every settings layer, in layer order (highest first, file order within a layer). Entries with errors
/// are left out; the errors themselves also reach the policy load, which then fails closed.
/// </summary>
public sealed record HookConfiguration(
    IReadOnlyList<HookMatcher> Matchers,
    IReadOnlyList<PolicyLoadError> Errors,
    IReadOnlyList<PolicyLoadError> Warnings)
{
    public static readonly HookConfiguration Empty = new([], [], []);

    public static HookConfiguration From(PolicySnapshot snapshot) => Parse(snapshot.Hooks);

    public static HookConfiguration Parse(IReadOnlyList<JsonObjectValue> hooksObjects) => HookConfigurationReader.Read(hooksObjects);

    /// <summary>The hooks configured for <paramref name="hookEvent"/> whose matcher accepts <paramref name="toolName"/>, in layer order.</summary>
    public IReadOnlyList<HookDefinition> For(string toolName, HookEvent hookEvent = HookEvent.PreToolUse)
    {
        List<HookDefinition>? found = null;
        foreach (var matcher in Matchers)
            if (matcher.Event == hookEvent && matcher.Matches(toolName))
                (found ??= []).AddRange(matcher.Hooks);
        return found is null ? [] : found;
    }
}
