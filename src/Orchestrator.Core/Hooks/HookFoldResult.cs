using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// The verdict after hooks, and the input a hook asked to run instead (null when none did, or when the verdict is deny).
/// The policy judged the <em>original</em> input: when <see cref="UpdatedInput"/> is set, the caller must evaluate the
/// policy again on the rewritten call and fold that verdict with the same hook results (hooks are not run again).
/// </summary>
public sealed record HookFoldResult(VerdictSummary Verdict, ImmutableDictionary<string, string>? UpdatedInput);
