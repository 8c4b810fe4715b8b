using System.Diagnostics;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

/// <summary>
/// A what-if replay over a journal (<c>POST /v1/replay</c>, <c>orchestrator replay</c>): every recorded decision in the
/// window judged again by <see cref="WhatIfReplay"/> against <see cref="ReplayPolicy.For"/> its recorded policy, gathered
/// into a <see cref="ReplayReport"/>. Executes nothing; reads only the journal: the decisions found through the history
/// read model (their sealed events opened and checked), or with <c>cold</c> by scanning the journal itself. Opening and
/// judging run on <c>parallelism</c> cores (default: all), the results gathered in journal order, so the report is the
/// one a sequential run (<c>parallelism</c> 1) gives.
/// </summary>
public static class JournalReplay
{
    private const int ProgressEvery = 10_000;

    public static async Task<(ReplayReport Report, TimeSpan Elapsed)> RunAsync(JournalHistory history, ReplayPolicy policy,
        DateTimeOffset? from, DateTimeOffset? to, string? agent, Action<long>? progress = null, CancellationToken cancellationToken = default,
        bool cold = false, int? parallelism = null)
    {
        var clock = Stopwatch.StartNew();
        var cores = parallelism ?? Environment.ProcessorCount;
        var policies = await history.PoliciesAsync(cancellationToken).ConfigureAwait(false);
        var replay = new WhatIfReplay(policy, version => policies.GetValueOrDefault(version));
        var report = new ReplayReportBuilder();
        long done = 0;
        var outcomes = cold
            ? OrderedParallel.SelectAsync(history.DecisionsAsync(0, from, to, agent, parallelism: cores, cancellationToken: cancellationToken),
                d => replay.Replay(d.Decision), cores, cancellationToken: cancellationToken)
            : OrderedParallel.SelectAsync(history.RecordedDecisionRowsAsync(from, to, agent, cancellationToken),
                row => history.Open(row, from, to, agent) is { } d ? replay.Replay(d) : null, cores, cancellationToken: cancellationToken);
        await foreach (var outcome in outcomes.ConfigureAwait(false))
        {
            if (outcome is null) continue; // a row of the window's first or last day outside it: read to be counted, not judged
            report.Add(outcome);
            if (++done % ProgressEvery == 0) progress?.Invoke(done);
        }
        progress?.Invoke(done);
        return (report.Build(), clock.Elapsed);
    }
}
