using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Orchestrator.Load;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>Latency percentiles of one histogram, in milliseconds.</summary>
internal sealed record Percentiles(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    public static Percentiles Of(HistogramBase h) => h.TotalCount == 0
        ? new Percentiles(0, 0, 0, 0, 0, 0, 0)
        : new Percentiles(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()), Math.Round(h.GetMean() / 1000, 3));

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

internal sealed record ApprovalFigures(long Answered, long Approved, long Denied, long Refused, double PerSecond, Percentiles RoundTrip);

/// <summary>How far behind their schedule the agents sent: <see cref="Sends"/> calls went late, by <see cref="Lateness"/>.</summary>
internal sealed record LateSends(long Sends, Percentiles Lateness);

/// <summary>
/// The final report of a run. <see cref="Latency"/> is measured from each call's intended send time (its agent's
/// schedule: a call sent late because the last answer was slow counts the wait, the wrk2 convention against coordinated
/// omission), <see cref="ServiceLatency"/> from when it was actually sent; the same for back-to-back agents.
/// <see cref="OfferedPerSecond"/> is what the schedules asked for (null back-to-back), <see cref="ThroughputPerSecond"/>
/// what was answered. Its counts add up: <see cref="Submitted"/> = <see cref="Calls"/> (answered) +
/// <see cref="Errors"/>, the outcomes sum to <see cref="Calls"/>, the errors by kind to <see cref="Errors"/>.
/// </summary>
internal sealed record LoadTestReport(
    string Target, int Agents, string Mix, string Approver, int Workspaces, double ThinkMs, double Seconds,
    long Submitted, long Calls, long Errors, long Throttled429, double? OfferedPerSecond, double ThroughputPerSecond,
    Percentiles Latency, Percentiles ServiceLatency, LateSends Late, IReadOnlyDictionary<string, long> Outcomes, IReadOnlyDictionary<string, long> ErrorsByKind,
    ApprovalFigures Approvals, LoadTestJournalCheck Journal)
{
    public bool CountsAddUp => Submitted == Calls + Errors && Outcomes.Values.Sum() == Calls && ErrorsByKind.Values.Sum() == Errors;

    public static LoadTestReport From(string target, LoadTestSettings settings, LoadTally tally, TimeSpan elapsed, LoadTestApprover approver, LoadTestJournalCheck journal)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        return new LoadTestReport(target, settings.Agents, settings.Mix.ToString(), settings.Approver.ToString(), settings.Workspaces, settings.ThinkMs,
            Math.Round(elapsed.TotalSeconds, 3), tally.Submitted, tally.Answered, tally.Failed, tally.Throttled,
            settings.Plan.OfferedPerSecond is { } offered ? Math.Round(offered, 1) : null, Math.Round(tally.Answered / seconds, 1),
            Percentiles.Of(tally.Latency), Percentiles.Of(tally.ServiceLatency), new LateSends(tally.LateSends, Percentiles.Of(tally.SendLateness)), Sorted(tally.Outcomes), Sorted(tally.Errors),
            new ApprovalFigures(approver.Answered, approver.Approved, approver.Denied, approver.Refused, Math.Round(approver.Answered / seconds, 1),
                Percentiles.Of(tally.ApprovalRoundTrip)),
            journal);
    }

    /// <summary>What <see cref="Latency"/> is measured from.</summary>
    public string LatencyFrom => OfferedPerSecond is null ? "send" : "intended-send";

    public string Json() => JsonSerializer.Serialize(new
    {
        target = Target, agents = Agents, mix = Mix, approver = Approver, workspaces = Workspaces, thinkMs = ThinkMs, seconds = Seconds,
        submitted = Submitted, calls = Calls, errors = Errors, throttled429 = Throttled429,
        offeredPerSecond = OfferedPerSecond, throughputPerSecond = ThroughputPerSecond, achievedPerSecond = ThroughputPerSecond,
        latencyFrom = LatencyFrom,
        p50Ms = Latency.P50Ms, p90Ms = Latency.P90Ms, p99Ms = Latency.P99Ms, p999Ms = Latency.P999Ms, maxMs = Latency.MaxMs, meanMs = Latency.MeanMs,
        service = new
        {
            p50Ms = ServiceLatency.P50Ms, p90Ms = ServiceLatency.P90Ms, p99Ms = ServiceLatency.P99Ms, p999Ms = ServiceLatency.P999Ms,
            maxMs = ServiceLatency.MaxMs, meanMs = ServiceLatency.MeanMs,
        },
        lateSends = Late.Sends, lateness = new { p50Ms = Late.Lateness.P50Ms, p99Ms = Late.Lateness.P99Ms, maxMs = Late.Lateness.MaxMs },
        outcomes = Outcomes, errorsByKind = ErrorsByKind,
        approvals = new
        {
            answered = Approvals.Answered, approved = Approvals.Approved, denied = Approvals.Denied, refused = Approvals.Refused,
            perSecond = Approvals.PerSecond, roundTripP50Ms = Approvals.RoundTrip.P50Ms, roundTripP99Ms = Approvals.RoundTrip.P99Ms,
            roundTripMaxMs = Approvals.RoundTrip.MaxMs,
        },
        journal = new
        {
            source = Journal.Source, rowsAdded = Journal.RowsAdded, @checked = Journal.Checked, recorded = Journal.Recorded, missing = Journal.Missing,
            outcomeMismatches = Journal.OutcomeMismatches, recordedButUnanswered = Journal.RecordedButUnanswered, verified = Journal.Verified,
            firstProblem = Journal.FirstProblem,
        },
        countsAddUp = CountsAddUp,
    });

    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"`orchestrator loadtest` against {Target}: {Agents:N0} agents, mix {Mix} (allow:ask:deny:exec), approver {Approver}, " +
            $"{Workspaces} workspace(s), think {ThinkMs:0.#} ms, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| calls | errors | 429s | seconds | offered/s | calls/s | late sends | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | approvals | approvals/s | approval round trip p50 / p99 ms | journal rows added | journal check |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| {Calls:N0} | {Errors:N0} | {Throttled429:N0} | {Seconds:F1} | {Offered("N0")} | {ThroughputPerSecond:N0} | {Late.Sends:N0} | {Latency.P50Ms:F2} | {Latency.P90Ms:F2} | {Latency.P99Ms:F2} | " +
            $"{Latency.P999Ms:F2} | {Latency.MaxMs:F1} | {Approvals.Answered:N0} ({Approvals.Approved:N0} approved) | {Approvals.PerSecond:N1} | " +
            $"{Approvals.RoundTrip.P50Ms:F2} / {Approvals.RoundTrip.P99Ms:F2} | {(Journal.RowsAdded is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "—")} | {Verdict()} |");
        s.AppendLine();
        s.AppendLine(LatencyNote());
        s.AppendLine();
        s.AppendLine("Outcomes (decision → outcome): " + string.Join(", ", Outcomes.Select(kv => $"{kv.Key} {kv.Value:N0}")) +
                     (ErrorsByKind.Count == 0 ? "" : "; errors: " + string.Join(", ", ErrorsByKind.Select(kv => $"{kv.Key} {kv.Value:N0}"))));
        return s.ToString();
    }

    public string Text()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"load test against {Target}: {Agents:N0} agents, mix {Mix} (allow:ask:deny:exec), approver {Approver}, {Workspaces} workspace(s)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  calls        {Calls:N0} answered in {Seconds:F1} s = {ThroughputPerSecond:N1} calls/s (offered {Offered("N1")}); {Errors:N0} errors; {Throttled429:N0} answered 429 (retried)");
        s.AppendLine(CultureInfo.InvariantCulture, $"  latency      p50 {Latency.P50Ms:F2} ms, p90 {Latency.P90Ms:F2}, p99 {Latency.P99Ms:F2}, p99.9 {Latency.P999Ms:F2}, max {Latency.MaxMs:F1}, mean {Latency.MeanMs:F2}");
        s.AppendLine("               " + LatencyNote());
        s.AppendLine("  outcomes     " + (Outcomes.Count == 0 ? "none" : string.Join(", ", Outcomes.Select(kv => $"{kv.Key} {kv.Value:N0}"))));
        if (ErrorsByKind.Count > 0) s.AppendLine("  errors       " + string.Join(", ", ErrorsByKind.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        s.AppendLine(CultureInfo.InvariantCulture, $"  approvals    {Approvals.Answered:N0} answered ({Approvals.Approved:N0} approved, {Approvals.Denied:N0} denied, {Approvals.Refused:N0} refused) = " +
            $"{Approvals.PerSecond:N1}/s; round trip (answer to the agent's answer) p50 {Approvals.RoundTrip.P50Ms:F2} ms, p99 {Approvals.RoundTrip.P99Ms:F2}, max {Approvals.RoundTrip.MaxMs:F1}");
        s.AppendLine(CultureInfo.InvariantCulture, $"  journal      {(Journal.RowsAdded is { } rows ? $"{rows:N0} rows added; " : "")}{Verdict()}");
        if (!CountsAddUp) s.AppendLine(CultureInfo.InvariantCulture, $"  COUNTS DO NOT ADD UP: {Submitted:N0} submitted, {Calls:N0} answered + {Errors:N0} errors");
        return s.ToString();
    }

    private string Offered(string format) => OfferedPerSecond is { } offered ? offered.ToString(format, CultureInfo.InvariantCulture) : "back-to-back";

    private string LatencyNote() => OfferedPerSecond is null
        ? "latency from each call's send (back-to-back agents: the server sets the rate)"
        : string.Create(CultureInfo.InvariantCulture,
            $"latency from each call's intended send time; from the actual send p50 {ServiceLatency.P50Ms:F2} ms, p99 {ServiceLatency.P99Ms:F2}; " +
            $"{Late.Sends:N0} sends late (the last answer came after they were due), by up to {Late.Lateness.MaxMs:F1} ms (p99 {Late.Lateness.P99Ms:F2})");

    private string Verdict() => Journal.Verified
        ? $"verified ({Journal.Recorded:N0} of {Journal.Checked:N0} answered calls recorded with their outcome, via the {Journal.Source})"
        : $"NOT VERIFIED: {Journal.Missing:N0} missing, {Journal.OutcomeMismatches:N0} outcome mismatches of {Journal.Checked:N0}" +
          (Journal.FirstProblem is { } p ? $" ({p})" : "");

    private static SortedDictionary<string, long> Sorted(IEnumerable<KeyValuePair<string, long>> counts) => new(counts.ToDictionary(), StringComparer.Ordinal);
}
