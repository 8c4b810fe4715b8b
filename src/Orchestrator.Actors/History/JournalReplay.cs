using System.Diagnostics;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

/// <summary>
/// A what-if replay over a journal (<c>POST /v1/replay</c>, <c>orchestrator replay</c>): every recorded decision in the
/// window judged again by <see cref="WhatIfReplay"/> against <see cref="ReplayPolicy.For"/> its recorded policy, gathered
/// into a <see cref="ReplayReport"/>. Executes nothing; reads only the journal.
/// </summary>
public static class JournalReplay
{
    public static async Task<(ReplayReport Report, TimeSpan Elapsed)> RunAsync(JournalHistory history, ReplayPolicy policy,
        DateTimeOffset? from, DateTimeOffset? to, string? agent, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var policies = await history.PoliciesAsync(cancellationToken).ConfigureAwait(false);
        var replay = new WhatIfReplay(policy, version => policies.GetValueOrDefault(version));
        var report = new ReplayReportBuilder();
        long done = 0;
        await foreach (var (_, decision) in history.DecisionsAsync(0, from, to, agent, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            report.Add(replay.Replay(decision));
            if (++done % 10_000 == 0) progress?.Invoke(done);
        }
        progress?.Invoke(done);
        return (report.Build(), clock.Elapsed);
    }
}
