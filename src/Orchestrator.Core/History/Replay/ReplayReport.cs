using System.Collections.Immutable;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// The diff of a what-if replay: how many calls were judged again, how many change verdict, grouped by the rule
/// responsible and the change (before → after) with a few example calls, and the undecidable ones with why.
/// </summary>
public sealed record ReplayReport(
    long Replayed,
    long Changed,
    long Undecidable,
    ImmutableArray<ReplayChangeGroup> ByRule,
    ImmutableArray<ReplayExample> UndecidableExamples);

/// <summary>
/// Calls whose verdict changed the same way because of the same rule: <see cref="Rule"/> is the rule that decides the
/// replayed verdict (else the one that decided the recorded verdict, else the reason class, in parentheses).
/// </summary>
public sealed record ReplayChangeGroup(string Rule, Decision Before, Decision After, long Count, ImmutableArray<ReplayExample> Examples);

/// <summary>One call in a report: its id, tool, agent and why (the replayed reason, or why it is undecidable).</summary>
public sealed record ReplayExample(string CallId, string Tool, string Agent, string Reason);

/// <summary>Gathers <see cref="ReplayOutcome"/>s into a <see cref="ReplayReport"/>, keeping <see cref="ExamplesPerGroup"/> examples per group.</summary>
public sealed class ReplayReportBuilder
{
    public const int ExamplesPerGroup = 3;

    private readonly Dictionary<(string Rule, Decision Before, Decision After), (long Count, List<ReplayExample> Examples)> _groups = [];
    private readonly List<ReplayExample> _undecidable = [];
    private long _replayed, _changed, _undecidableCount;

    public void Add(ReplayOutcome outcome)
    {
        _replayed++;
        var call = outcome.Call;
        if (outcome.After is not { } after)
        {
            _undecidableCount++;
            if (_undecidable.Count < 20) _undecidable.Add(new ReplayExample(call.CallId.Value, call.Tool, call.Agent.Value, outcome.UndecidableReason!));
            return;
        }
        if (!outcome.Changed) return;
        _changed++;
        Group(RuleOf(outcome.Before, after), outcome.Before.Decision, after.Decision, new ReplayExample(call.CallId.Value, call.Tool, call.Agent.Value, after.Reason));
    }

    /// <summary>A change found elsewhere (the shadow policy's disagreement with a live call): counted as replayed and changed.</summary>
    public void AddChange(string rule, Decision before, Decision after, ReplayExample example)
    {
        _replayed++;
        _changed++;
        Group(rule, before, after, example);
    }

    /// <summary>The rule responsible for a change: the one deciding the new verdict, else the old one's, else the reason class.</summary>
    public static string RuleOf(Events.VerdictSummary before, Events.VerdictSummary after) =>
        after.Rule?.Text ?? before.Rule?.Text ?? $"({Text.KebabCase.Of(after.ReasonClass)})";

    private void Group(string rule, Decision before, Decision after, ReplayExample example)
    {
        var key = (rule, before, after);
        var group = _groups.TryGetValue(key, out var found) ? found : (0, new List<ReplayExample>());
        if (group.Examples.Count < ExamplesPerGroup) group.Examples.Add(example);
        _groups[key] = (group.Count + 1, group.Examples);
    }

    public ReplayReport Build() => new(_replayed, _changed, _undecidableCount,
        [.. _groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key.Rule, StringComparer.Ordinal)
            .Select(g => new ReplayChangeGroup(g.Key.Rule, g.Key.Before, g.Key.After, g.Value.Count, [.. g.Value.Examples]))],
        [.. _undecidable]);
}
