using System.Diagnostics;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

/// <summary>
/// A what-if replay over a journal (<c>POST /v1/replay</c>, <c>orchestrator replay</c>): every recorded decision in the
/// window judged again by <see cref="WhatIfReplay"/> against <see cref="ReplayPolicy.For"/> its recorded policy, gathered
/// into a <see cref="ReplayReport"/>. Executes nothing; reads only the journal: the decisions found through the history
/// read model (their sealed events opened and checked), or with <c>cold</c> by scanning the journal itself.
/// </summary>
public static class JournalReplay
{
    public static async Task<(ReplayReport Report, TimeSpan Elapsed)> RunAsync(JournalHistory history, ReplayPolicy policy,
        DateTimeOffset? from, DateTimeOffset? to, string? agent, Action<long>? progress = null, CancellationToken cancellationToken = default,
        bool cold = false)
    {
        var clock = Stopwatch.StartNew();
        var policies = await history.PoliciesAsync(cancellationToken).ConfigureAwait(false);
        var replay = new WhatIfReplay(policy, version => policies.GetValueOrDefault(version));
        var report = new ReplayReportBuilder();
        long done = 0;
        var decisions = cold
            ? Scanned(history.DecisionsAsync(0, from, to, agent, cancellationToken: cancellationToken))
            : history.RecordedDecisionsAsync(from, to, agent, cancellationToken);
        await foreach (var decision in decisions.ConfigureAwait(false))
        {
            report.Add(replay.Replay(decision));
            if (++done % 10_000 == 0) progress?.Invoke(done);
        }
        progress?.Invoke(done);
        return (report.Build(), clock.Elapsed);
    }

    private static async IAsyncEnumerable<RecordedDecision> Scanned(IAsyncEnumerable<(long Position, RecordedDecision Decision)> decisions)
    {
        await foreach (var (_, decision) in decisions.ConfigureAwait(false)) yield return decision;
    }
}
