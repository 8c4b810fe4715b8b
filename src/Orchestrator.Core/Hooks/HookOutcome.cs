using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// One hook's parsed answer: the recorded <see cref="Result"/>, the input it asked to run instead (if any), and whether
/// the hook failed (bad exit, timeout, unreadable output) — true even when its failure was ignored.
/// </summary>
public sealed record HookOutcome(HookResult Result, ImmutableDictionary<string, string>? UpdatedInput, bool Failed);
