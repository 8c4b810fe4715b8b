using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.LoadBench;

/// <summary>
/// <c>replay-stages --data DIR [--parallelism N]</c> (ops/bench/replay.sh): where a what-if replay's time goes per
/// recorded call, on a data directory no server holds. Each pass reads every recorded decision again and goes one stage
/// further (read the model's rows; decode their compact decision records; check their seals; open them into the
/// decisions; judge them), single-threaded, after two warm-up replays, so a stage's cost is its pass minus the one before; then the whole replay on N cores, through
/// the model and by scanning the journal. Prints a markdown table with CPU (user+sys of the process) and wall per pass.
/// </summary>
public static class ReplayStages
{
    public const string Usage = "usage: Orchestrator.LoadBench replay-stages --data DIR [--parallelism N]";

    private sealed record Pass(string Stage, long Calls, double WallSeconds, double CpuSeconds);

    public static async Task<int> MainAsync(string[] args)
    {
        string? data = null;
        var parallelism = Environment.ProcessorCount;
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = Path.GetFullPath(args[++i]); break;
                case "--parallelism" when i + 1 < args.Length: parallelism = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        if (data is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var host = new HostBuilder()
            .ConfigureServices(s => s.AddAkka("orchestrator", b => b.AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                .WithOrchestratorPersistence(PersistenceOptions.Sqlite(data))))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            await using var history = new JournalHistory(system);
            var passes = await MeasureAsync(system, history, parallelism);
            Print(passes, parallelism);
        }
        finally
        {
            await LoadPoint.StopHostAsync(host);
        }
        return 0;
    }

    private static async Task<List<Pass>> MeasureAsync(ActorSystem system, JournalHistory history, int parallelism)
    {
        var integrity = JournalIntegrity.Get(system);
        var passes = new List<Pass>();
        async Task Measure(string stage, Func<Task<long>> run)
        {
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var calls = await run();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            passes.Add(new Pass(stage, calls, wall.Elapsed.TotalSeconds, used.TotalSeconds));
            Program.Log($"    {stage}: {calls:N0} calls, {wall.Elapsed.TotalSeconds:F2} s wall, {used.TotalSeconds:F2} s CPU");
        }
        async Task<long> EachRow(Action<DecisionRecordRow> act)
        {
            long n = 0;
            await foreach (var row in history.RecordedDecisionRowsAsync(null, null, null))
            {
                act(row);
                n++;
            }
            return n;
        }

        var policies = await history.PoliciesAsync();
        // Warm: every stage's code compiled to its final tier before anything is measured.
        for (var i = 0; i < 2; i++) await JournalReplay.RunAsync(history, ReplayPolicy.Recorded, null, null, null, parallelism: 1);
        await Measure($"rebuild the {policies.Count} recorded polic{(policies.Count == 1 ? "y" : "ies")} (once each)", () =>
            Task.FromResult((long)policies.Values.Count(p => WorkspacePolicy.Rebuild(p).Version == p.Version)));
        await Measure("1 read the model's rows (SQL, the compact decision records)", () => EachRow(_ => { }));
        await Measure("2 + decode the records (binary, seal not checked)", () => EachRow(row =>
            DecisionRecordCodec.Decode(row.Record.AsSpan(0, row.Record!.Length - JournalChain.MacLength))));
        await Measure("3 + check their seals (HMAC-SHA256 over place and record)", () => EachRow(row => integrity.OpenDecisionRecord(row.Place, row.Record)));
        await Measure("4 + open them into the decisions (masked inputs decrypted)", () => EachRow(row => history.Open(row)));
        // Not part of a replay: what the follower pays to make each record (its CPU a call minus pass 2's is encode + seal).
        await Measure("the follower's side: pass 2, then encode and seal each record again", () => EachRow(row =>
            integrity.SealDecisionRecord(row.Place, DecisionRecordCodec.Decode(row.Record.AsSpan(0, row.Record!.Length - JournalChain.MacLength)))));
        var replay = new WhatIfReplay(ReplayPolicy.Recorded, v => policies.GetValueOrDefault(v));
        long changed = 0, undecidable = 0;
        await Measure("5 + judge them again (evaluate, fold hooks)", () => EachRow(row =>
        {
            var outcome = replay.Replay(history.Open(row)!); // no window: never null
            if (!outcome.IsDecided) undecidable++;
            else if (outcome.Changed) changed++;
        }));
        if (changed != 0 || undecidable != 0) Program.Log($"    the recorded policy changed {changed:N0} and could not judge {undecidable:N0}");
        foreach (var (cold, cores) in new[] { (false, 1), (false, parallelism), (true, 1), (true, parallelism) })
            await Measure($"{(cold ? "journal scan, cold (`--scan`)" : "read model")}: whole replay on {cores} core{(cores == 1 ? "" : "s")}", async () =>
                (await JournalReplay.RunAsync(history, ReplayPolicy.Recorded, null, null, null, cold: cold, parallelism: cores)).Report.Replayed);
        return passes;
    }

    private static void Print(List<Pass> passes, int parallelism)
    {
        Console.WriteLine($"| Pass ({Environment.ProcessorCount} cores, parallelism {parallelism}) | Calls | Wall s | CPU s | CPU µs/call | stage CPU µs/call | calls/s (wall) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        double previous = 0;
        foreach (var p in passes)
        {
            var perCall = p.Calls == 0 ? 0 : p.CpuSeconds * 1e6 / p.Calls;
            var staged = p.Stage[0] is >= '1' and <= '5';
            var stage = staged ? (perCall - previous).ToString("F1", CultureInfo.InvariantCulture) : "";
            if (staged) previous = perCall;
            Console.WriteLine($"| {p.Stage} | {p.Calls:N0} | {p.WallSeconds:F2} | {p.CpuSeconds:F2} | {perCall:F1} | {stage} | {(p.WallSeconds > 0 ? p.Calls / p.WallSeconds : 0):N0} |");
        }
    }
}
