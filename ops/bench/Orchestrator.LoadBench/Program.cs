using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.LoadBench;

/// <summary>
/// Durable-decisions load benchmark (DESIGN §9): N agents, each its own session and agent id, submit calls in a
/// closed loop (the next after the previous is acknowledged, i.e. durable) with intent DecideOnly and the
/// auto-approve approver, against the real pipeline on SQLite or PostgreSQL. Baseline in the same run: the same call
/// mix through <see cref="PolicyEvaluator.Evaluate(Orchestrator.Core.Calls.ToolCall, bool)"/> on N tasks, no actors,
/// no journal. Usage: see <see cref="BenchOptions.Usage"/>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["build-journal", .. var rest]) return await JournalBuilder.MainAsync(rest);
        if (args is ["readers-vs-writers", .. var more]) return await ReadersVsWriters.MainAsync(more);
        if (args is ["replay-stages", .. var stages]) return await ReplayStages.MainAsync(stages);
        BenchOptions options;
        try { options = BenchOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        var workspace = LoadWorkspace.Create();
        try
        {
            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(workspace)
            {
                SettingsFiles = [Path.Combine(AppContext.BaseDirectory, "bench-policy.json")],
                ManagedSettingsPath = null,
                UserSettingsPath = null,
                HomeDirectory = Path.Combine(workspace, "home"),
            });
            if (snapshot.FailedClosed) throw new InvalidOperationException(string.Join("; ", snapshot.Errors));
            var mix = new CallMix(workspace);
            if (!MixCheck.Report(snapshot, mix)) return 3;

            var results = new List<PointResult>();
            foreach (var backend in options.Backends)
            foreach (var agents in options.Agents)
            {
                Log($"--- {backend}, {agents} agents: baseline {options.BaselineSeconds}s");
                var baseline = await Baseline.RunAsync(snapshot, mix, agents, options);
                Log($"    baseline {baseline:N0} decisions/s; pipeline: warm-up {options.WarmupSeconds}s, measure {options.DurationSeconds}s");
                var point = await LoadPoint.RunAsync(backend, agents, snapshot, mix, options);
                point = point with { BaselinePerSecond = baseline };
                results.Add(point);
                Log("    " + point.Summary());
                Console.Out.Flush();
            }

            var table = Report.Markdown(results, options);
            Console.WriteLine();
            Console.WriteLine(table);
            if (options.OutputFile is { } file) await File.WriteAllTextAsync(file, table);
            var lost = results.Where(r => !r.Verified).ToList();
            if (lost.Count > 0)
            {
                Console.Error.WriteLine($"FAILED: {lost.Count} point(s) did not verify (acknowledged calls missing from the journal or failed calls).");
                return 1;
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(workspace, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static void Log(string line) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}

/// <summary>Prints what the policy decides for each template and checks the 60/20/20 classes.</summary>
public static class MixCheck
{
    public static bool Report(PolicySnapshot snapshot, CallMix mix)
    {
        var evaluator = new PolicyEvaluator(snapshot);
        var counts = new Dictionary<Decision, int>();
        var ok = true;
        for (var i = 0; i < mix.Count; i++)
        {
            var t = mix.TemplateAt(i);
            var decision = evaluator.Evaluate(mix.Call(0, i, $"check-{i}"), false).Decision;
            counts[decision] = counts.GetValueOrDefault(decision) + 1;
            var expected = t.Class switch
            {
                CallMix.Expected.Allow => Decision.Allow,
                CallMix.Expected.Ask => Decision.Ask,
                _ => Decision.Deny,
            };
            if (decision != expected)
            {
                ok = false;
                Program.Log($"mix check: {t.Tool} {t.Value}: expected {expected}, policy says {decision}");
            }
        }
        Program.Log("call mix as decided by the policy: " + string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}/{mix.Count}")));
        return ok;
    }
}

public sealed record BenchOptions
{
    public const string Usage =
        "usage: Orchestrator.LoadBench [--backend sqlite|postgres|all] [--agents 1,100,1000] [--duration S] [--warmup S]\n" +
        "                              [--baseline S] [--calls N (per point, instead of --duration)] [--hocon FILE] [--out FILE]\n" +
        "                              [--think-ms MS (mean interval between one agent's sends, exponentially distributed, kept however slow the answers; default 0 = back-to-back)]\n" +
        "                              [--verbose] [--experiment yield-writes,sync-normal (SQLite write-path hypotheses)]\n" +
        "                              [--count-messages (messages delivered to the pipeline's actors per call)] [--execute (run every call)]\n" +
        "                              [--alloc-types (sampled allocated bytes per call by type)]\n" +
        "  PostgreSQL reads ORCHESTRATOR_TEST_POSTGRES (eval \"$(ops/postgres.sh)\"); each run gets a fresh schema, dropped after.";

    public IReadOnlyList<string> Backends { get; init; } = ["sqlite"];
    public IReadOnlyList<int> Agents { get; init; } = [1, 100, 1000];
    public double DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 3;
    public double BaselineSeconds { get; init; } = 3;
    /// <summary>When set, each point measures until this many calls are acknowledged (after warm-up) instead of a fixed time.</summary>
    public long? Calls { get; init; }
    /// <summary>Extra HOCON (a file) that wins over Orchestrator's persistence settings: for experiments only.</summary>
    public string? HoconFile { get; init; }
    public string? OutputFile { get; init; }
    /// <summary>Print runtime samples (CPU, GC, thread-pool queue, journal rows) every second while measuring.</summary>
    public bool Verbose { get; init; }
    /// <summary>
    /// Mean interval between one agent's sends (its think time; 0 = back-to-back): each agent sends on a schedule of
    /// exponential gaps that a slow answer does not move, latency measured from the intended send time (no coordinated
    /// omission). With back-to-back agents latency = agents / throughput (Little's law): p99 ≤ 5 ms at 1,000 agents would
    /// need 200,000 calls/s, so the latency target is only meaningful with think time (offered agents × 1000 / think-ms per second).
    /// </summary>
    public int ThinkMs { get; init; }
    /// <summary>Count the messages delivered to the pipeline's actors while measuring (<see cref="MessageCounter"/>; costs some throughput).</summary>
    public bool CountMessages { get; init; }
    /// <summary>Print which types the measured window's allocations are made of (<see cref="AllocationSampler"/>).</summary>
    public bool AllocationTypes { get; init; }
    /// <summary>
    /// Intent execute with only the allowed Bash calls of the mix, each run by a sandbox that answers at once (no
    /// process): the whole executed path (decision, slot, ExecutionStarted, run, ExecutionFinished). Each agent waits
    /// for its call's end before the next.
    /// </summary>
    public bool Execute { get; init; }
    /// <summary>Hypothesis tests on the SQLite write path (<see cref="Experiments"/>); not Orchestrator's configuration.</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--backend":
                    var b = Next();
                    o = o with
                    {
                        Backends = b switch
                        {
                            "all" => ["sqlite", "postgres"],
                            "sqlite" or "postgres" => [b],
                            _ => throw new ArgumentException($"unknown backend {b}"),
                        },
                    };
                    break;
                case "--agents":
                    o = o with { Agents = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() };
                    break;
                case "--duration": o = o with { DurationSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--warmup": o = o with { WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--baseline": o = o with { BaselineSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--calls": o = o with { Calls = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--hocon": o = o with { HoconFile = Path.GetFullPath(Next()) }; break;
                case "--out": o = o with { OutputFile = Next() }; break;
                case "--verbose": o = o with { Verbose = true }; break;
                case "--count-messages": o = o with { CountMessages = true }; break;
                case "--alloc-types": o = o with { AllocationTypes = true }; break;
                case "--execute": o = o with { Execute = true }; break;
                case "--think-ms": o = o with { ThinkMs = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--experiment":
                    var names = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (names.FirstOrDefault(n => !LoadBench.Experiments.Known.Contains(n)) is { } bad)
                        throw new ArgumentException($"unknown experiment {bad} (known: {string.Join(", ", LoadBench.Experiments.Known)})");
                    o = o with { Experiments = names };
                    break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (o.Agents.Count == 0 || o.Agents.Any(a => a < 1)) throw new ArgumentException("--agents needs positive counts");
        return o;
    }
}

/// <summary>The same call mix through the policy core alone on N tasks: no actors, no journal.</summary>
public static class Baseline
{
    public static async Task<double> RunAsync(PolicySnapshot snapshot, CallMix mix, int agents, BenchOptions options)
    {
        var evaluator = new PolicyEvaluator(snapshot);
        var stop = 0;
        var measuring = 0;
        var counts = new long[agents];
        var tasks = new Task[agents];
        for (var a = 0; a < agents; a++)
        {
            var agent = a;
            tasks[a] = Task.Run(async () =>
            {
                long n = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    // Same work per call as the pipeline's caller: build the call (fresh id), evaluate it.
                    var call = mix.Call(agent, n, $"a{agent}-b{n}");
                    evaluator.Evaluate(call, false);
                    n++;
                    if (Volatile.Read(ref measuring) == 1) counts[agent]++;
                    if ((n & 63) == 0) await Task.Yield(); // let 1,000 tasks share 2 cores like the agents do
                }
            });
        }
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, options.BaselineSeconds / 3)));
        Volatile.Write(ref measuring, 1);
        var sw = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.BaselineSeconds));
        Volatile.Write(ref measuring, 0);
        var elapsed = sw.Elapsed.TotalSeconds;
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(tasks);
        return counts.Sum() / elapsed;
    }
}

public sealed record PointResult(
    string Backend, int Agents, long Calls, double Seconds, double PerSecond,
    double P50Ms, double P99Ms, double MaxMs,
    long AckedTotal, long FailedTotal, long JournalRows, long CallsInJournal, long MissingFromJournal,
    double CpuPercent, int Gen0, int Gen1, int Gen2, double AvgThreadPoolQueue, double AvgThreads)
{
    public double BaselinePerSecond { get; init; }

    /// <summary>With --count-messages: messages between the pipeline's actors per measured call (the submitter's request and the journal's answers left out).</summary>
    public double? MessagesPerCall { get; init; }

    /// <summary>
    /// Bytes allocated by the whole process (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) over the measured window per
    /// measured call: the pipeline's allocations plus the submitter's own (its Ask and the call it builds). Unlike
    /// decisions/s it hardly moves with the machine's load.
    /// </summary>
    public double AllocatedBytesPerCall { get; init; }

    /// <summary>No call was answered for 20 s (the point is reported as failed).</summary>
    public bool Stalled { get; init; }

    public double EventsPerCall => AckedTotal == 0 ? 0 : (double)JournalRows / AckedTotal;

    public bool Verified => !Stalled && FailedTotal == 0 && MissingFromJournal == 0 && AckedTotal > 0;

    public string Summary() =>
        $"{Backend} {Agents} agents: {Calls:N0} calls in {Seconds:F1}s = {PerSecond:N0}/s, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, " +
        $"max {MaxMs:F1} ms; acked {AckedTotal:N0}, failed {FailedTotal}, journal rows {JournalRows:N0} ({EventsPerCall:F2}/call), " +
        $"calls found {CallsInJournal:N0}, missing {MissingFromJournal}; CPU {CpuPercent:F0} % of {Environment.ProcessorCount} cores, " +
        $"GC {Gen0}/{Gen1}/{Gen2}, thread-pool queue avg {AvgThreadPoolQueue:F0}, threads avg {AvgThreads:F0}, " +
        $"process CPU per measured call {CpuMsPerCall:F3} ms, allocated per call {AllocatedBytesPerCall:N0} B";

    /// <summary>Process CPU time per measured call: less sensitive to a busy machine than calls/s.</summary>
    public double CpuMsPerCall => Calls == 0 ? 0 : CpuPercent / 100 * Environment.ProcessorCount * Seconds * 1000 / Calls;
}

public static class Report
{
    public static string Markdown(IReadOnlyList<PointResult> results, BenchOptions options)
    {
        var s = new StringBuilder();
        s.AppendLine((options.Execute
                         ? "Executed calls (intent execute, allowed Bash calls of the mix, a sandbox that answers at once), auto-approve; "
                         : "Durable decisions, DecideOnly + auto-approve, mix 60 % allow / 20 % ask (auto-approved) / 20 % deny; ") +
                     $"warm-up {options.WarmupSeconds}s excluded, {(options.Calls is { } c ? $"{c:N0} calls" : $"{options.DurationSeconds}s")} per point, " +
                     $"{Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC" +
                     (options.HoconFile is null ? "" : $", HOCON override {Path.GetFileName(options.HoconFile)}") +
                     (options.Experiments.Count == 0 ? "" : $", experiments {string.Join("+", options.Experiments)}") +
                     (options.ThinkMs == 0 ? ", agents back-to-back (no think time)" : $", each agent sending on a schedule of exponential gaps of mean {options.ThinkMs} ms (offered agents × {1000.0 / options.ThinkMs:0.##} calls/s per point), latency from the intended send time"));
        s.AppendLine();
        s.AppendLine("| backend | agents | calls | decisions/s | p50 ms | p99 ms | max ms | baseline decisions/s (policy core, no actors/journal) | ratio | events/call | messages/call | verified | CPU % | CPU ms/call | allocated B/call | GC 0/1/2 |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var ratio = r.PerSecond == 0 ? "—" : $"{r.BaselinePerSecond / r.PerSecond:N0}× slower";
            var verified = r.Verified
                ? $"yes ({r.CallsInJournal:N0}/{r.AckedTotal:N0})"
                : $"**NO**: {r.MissingFromJournal} missing, {r.FailedTotal} failed{(r.Stalled ? ", STALLED" : "")}";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Backend} | {r.Agents:N0} | {r.Calls:N0} | {r.PerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.BaselinePerSecond:N0} | {ratio} | {r.EventsPerCall:F2} | {(r.MessagesPerCall is { } m ? m.ToString("F2", CultureInfo.InvariantCulture) : "—")} | {verified} | {r.CpuPercent:F0} | {r.CpuMsPerCall:F2} | {r.AllocatedBytesPerCall:N0} | {r.Gen0}/{r.Gen1}/{r.Gen2} |");
        }
        return s.ToString();
    }
}
