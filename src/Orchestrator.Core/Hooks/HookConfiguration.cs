using Orchestrator.Core.Calls;
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

    /// <summary>
    /// The workspace root: every hook runs here and its relative command resolves against it, never against the
    /// call's <c>cwd</c> (which the agent chooses). Null only for a configuration built by hand: its hooks do not run.
    /// </summary>
    public string? ProjectDirectory { get; init; }

    public static HookConfiguration From(PolicySnapshot snapshot) =>
        Parse(snapshot.Hooks, snapshot.ProjectDirectory, snapshot.HomeDirectory, snapshot.HookLayers);

    /// <param name="projectDirectory">What relative paths in <c>if</c> conditions are relative to, with the home directory
    /// (a <c>/path</c> is relative to the settings file's directory, as in rules).</param>
    /// <param name="layers">The settings layer of each hooks object (same order): http hooks only from the trusted
    /// ones (<see cref="HookConfigurationReader.MayDefineHttpHooks"/>); null trusts none.</param>
    public static HookConfiguration Parse(IReadOnlyList<JsonObjectValue> hooksObjects, string projectDirectory, string homeDirectory,
        IReadOnlyList<SettingsLayer>? layers = null) =>
        HookConfigurationReader.Read(hooksObjects, projectDirectory, homeDirectory, layers);

    /// <summary>
    /// The hooks configured for <paramref name="hookEvent"/> whose matcher accepts <paramref name="toolName"/>, in layer
    /// order, whatever their <c>if</c> says: every hook that may run for a call of that tool.
    /// </summary>
    public IReadOnlyList<HookDefinition> For(string toolName, HookEvent hookEvent = HookEvent.PreToolUse)
    {
        List<HookDefinition>? found = null;
        foreach (var matcher in Matchers)
            if (matcher.Event == hookEvent && matcher.Matches(toolName))
                (found ??= []).AddRange(matcher.Hooks);
        return found is null ? [] : found;
    }

    /// <summary>The hooks that run for <paramref name="call"/>: their matcher accepts its tool and their <c>if</c> its input.</summary>
    public IReadOnlyList<HookDefinition> For(ToolCall call, HookEvent hookEvent = HookEvent.PreToolUse)
    {
        var candidates = For(call.ToolName, hookEvent);
        return candidates.Count == 0 || candidates.All(h => h.Condition is null)
            ? candidates
            : candidates.Where(h => h.AppliesTo(call)).ToArray();
    }
}
