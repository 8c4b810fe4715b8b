using System.Collections.Concurrent;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// Judges recorded decisions again (DESIGN §7, what-if): each call against <see cref="ReplayPolicy.For"/> its recorded
/// policy, from its recorded filesystem facts, folded with its recorded hook answers — the same evaluator and fold the
/// live pipeline uses, executing nothing and reading no disk. A call that would need what was not recorded (its policy,
/// its facts, its masked input, a fact beyond those recorded) is undecidable. Policies are built once per recorded
/// version, once however many threads ask. Thread-safe: one replay judges calls on several cores.
/// </summary>
public sealed class WhatIfReplay(ReplayPolicy policy, Func<string, PolicyLoaded?> recordedPolicy)
{
    private readonly ConcurrentDictionary<string, Lazy<(WorkspacePolicy? Policy, string? Problem)>> _policies = new(StringComparer.Ordinal);

    public ReplayOutcome Replay(RecordedDecision call)
    {
        if (call.Subject is not { } subject)
            return Undecidable(call, "its input held secrets that cannot be opened without the journal's input key");
        if (call.Verdict.Facts is not { } facts)
            return Undecidable(call, "it was recorded before decisions carried their filesystem facts");
        var (judge, problem) = PolicyFor(call.Verdict.PolicyVersion);
        if (judge is null) return Undecidable(call, problem!);
        var again = judge.Evaluator.Evaluate(subject, call.Verdict.Mode.Sandboxed, facts);
        if (!again.IsDecided) return Undecidable(call, again.UndecidableReason!);
        // The recorded PermissionRequest answers stand in for a person again, only where the verdict is still an ask.
        return new ReplayOutcome(call, HookFold.FoldPermission(HookFold.Fold(VerdictSummary.From(again.Verdict!, facts), call.Hooks), call.Hooks), null);
    }

    private static ReplayOutcome Undecidable(RecordedDecision call, string reason) => new(call, null, reason);

    private (WorkspacePolicy?, string?) PolicyFor(string version) =>
        (_policies.TryGetValue(version, out var known) ? known
            : _policies.GetOrAdd(version, v => new Lazy<(WorkspacePolicy?, string?)>(() => Build(v)))).Value;

    private (WorkspacePolicy?, string?) Build(string version)
    {
        if (recordedPolicy(version) is not { } recorded) return (null, $"its policy version {version} is not recorded");
        // A policy recorded without its files' contents (built by hand) cannot be rebuilt: never judge with a guess.
        var rebuilt = WorkspacePolicy.Rebuild(recorded);
        if (rebuilt.Version != version)
            return (null, $"its policy version {version} cannot be rebuilt from what was recorded");
        return (policy.IsRecorded ? rebuilt : policy.For(recorded), null);
    }
}
