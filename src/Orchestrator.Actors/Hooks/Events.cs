using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// The answer to <see cref="RunHooks"/>: one result per matching hook, in configuration order (empty when none
/// matched), and the input the last hook that returned <c>updatedInput</c> asked to run instead. Fold with
/// <see cref="Orchestrator.Core.Hooks.HookFold"/>; an updated input must be evaluated by the policy again.
/// </summary>
public sealed record HooksRan(CallId CallId, ImmutableArray<HookResult> Results, ImmutableDictionary<string, string>? UpdatedInput);
