using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.LoadBench;

/// <summary>One (backend, agents) point: a fresh journal, a fresh host, closed-loop agents, then verification.</summary>
public static class LoadPoint
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(20);
    private const int RampWave = 50;

    public static async Task<PointResult> RunAsync(string backend, int agents, PolicySnapshot snapshot, CallMix mix, BenchOptions options)
    {
        await using var journal = JournalStore.Create(backend);
        var host = await StartHostAsync(journal.Options, snapshot, options);
        var sessions = await SessionRouterOf(host);

        // Phase: 0 warm-up, 1 measuring, 2 stopping. Latencies only of calls sent and acknowledged while measuring.
        var phase = 0;
        var latencies = new List<long>[agents];
        var acked = new List<string>[agents];
        var failed = new long[agents];
        long measuredCalls = 0;
        var firstFailure = (string?)null;
        var tasks = new Task[agents];
        // Each agent's first call creates and recovers its session: admit those in waves (max-concurrent-recoveries
        // is 50, and many simultaneous SQLite replays have been seen to stall), the closed loop starts after.
        using var firstCalls = new SemaphoreSlim(RampWave);
        long progress = 0;
        for (var a = 0; a < agents; a++)
        {
            var agent = a;
            latencies[a] = new List<long>(1024);
            acked[a] = new List<string>(1024);
            tasks[a] = Task.Run(async () =>
            {
                long n = 0;
                // With think time, sends follow the agent's schedule (not the answers) and latency counts from the
                // intended send time: a slow answer does not lower the offered load (Orchestrator.Load.SendSchedule).
                var schedule = options.ThinkMs > 0 ? new SendSchedule(options.ThinkMs, Random.Shared) : null;
                long origin = 0;
                while (Volatile.Read(ref phase) < 2)
                {
                    long? due = n > 0 && schedule is not null ? origin + (long)(schedule.Next().TotalSeconds * Stopwatch.Frequency) : null;
                    var behind = due is { } d && Stopwatch.GetTimestamp() > d;
                    if (due is { } d2 && !behind)
                    {
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), d2);
                        if (wait > TimeSpan.Zero) await Task.Delay(wait);
                        if (Volatile.Read(ref phase) == 2) break;
                    }
                    var id = $"a{agent}-c{n}";
                    var call = options.Execute ? mix.RunnableCall(agent, n, id) : mix.Call(agent, n, id);
                    n++;
                    var first = n == 1;
                    if (first) await firstCalls.WaitAsync();
                    var sentIn = Volatile.Read(ref phase);
                    var sent = Stopwatch.GetTimestamp();
                    if (first) origin = sent;
                    var t0 = behind ? due!.Value : sent;
                    object reply;
                    try
                    {
                        reply = await sessions.Ask<object>(new SubmitCall(call, options.Execute ? CallIntent.Execute : CallIntent.DecideOnly), AskTimeout);
                        // Executing: the call counts once it ran to its end.
                        if (options.Execute && reply is CallAccepted)
                        {
                            var end = await sessions.Ask<object>(new WatchCall(call.Session, call.Id), AskTimeout);
                            if (end is not CallSnapshot { State.Finished: not null }) reply = end;
                        }
                    }
                    catch (Exception e) { reply = e; }
                    var t1 = Stopwatch.GetTimestamp();
                    if (first) firstCalls.Release();
                    Interlocked.Increment(ref progress);
                    if (reply is CallAccepted)
                    {
                        acked[agent].Add(id);
                        if (sentIn == 1 && Volatile.Read(ref phase) == 1)
                        {
                            latencies[agent].Add(t1 - t0);
                            if (Interlocked.Increment(ref measuredCalls) == options.Calls) Volatile.Write(ref phase, 2);
                        }
                    }
                    else
                    {
                        failed[agent]++;
                        Interlocked.CompareExchange(ref firstFailure, $"{id}: {reply}", null);
                    }
                }
            });
        }

        // Warm-up: at least WarmupSeconds, and until every agent's session has answered once.
        var warm = Stopwatch.StartNew();
        var stalled = false;
        long seen = -1;
        var lastMove = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < options.WarmupSeconds || acked.Count(x => x.Count > 0) + failed.Count(f => f > 0) < agents)
        {
            await Task.Delay(100);
            var now = Interlocked.Read(ref progress);
            if (now != seen) { seen = now; lastMove.Restart(); }
            else if (lastMove.Elapsed > StallAfter) { stalled = true; break; }
        }
        if (stalled) Program.Log($"    STALLED during warm-up: no call answered for {StallAfter.TotalSeconds:F0}s ({Interlocked.Read(ref progress):N0} answered so far, {acked.Count(x => x.Count > 0)}/{agents} sessions up)");
        var sampler = new RuntimeSampler(options.Verbose ? () => Interlocked.Read(ref measuredCalls) : null);
        Volatile.Write(ref phase, 1);
        Experiments.ResetCounters();
        MessageCounter.Reset();
        MessageCounter.On = options.CountMessages;
        using var allocations = options.AllocationTypes ? new AllocationSampler() : null;
        if (allocations is not null) allocations.On = true;
        var sw = Stopwatch.StartNew();
        sampler.Start();
        var lastProgress = Interlocked.Read(ref progress);
        lastMove.Restart();
        while (!stalled && Volatile.Read(ref phase) == 1
               && (options.Calls is null ? sw.Elapsed.TotalSeconds < options.DurationSeconds : sw.Elapsed < TimeSpan.FromMinutes(10)))
        {
            await Task.Delay(50);
            var now = Interlocked.Read(ref progress);
            if (now != lastProgress) { lastProgress = now; lastMove.Restart(); }
            else if (lastMove.Elapsed > StallAfter)
            {
                stalled = true;
                Program.Log($"    STALLED while measuring: no call answered for {StallAfter.TotalSeconds:F0}s");
            }
        }
        var seconds = sw.Elapsed.TotalSeconds;
        MessageCounter.On = false;
        if (allocations is not null) allocations.On = false;
        var measuredForMessages = Interlocked.Read(ref measuredCalls);
        Volatile.Write(ref phase, 2);
        double? messagesPerCall = null;
        if (options.CountMessages && measuredForMessages > 0)
        {
            var counts = MessageCounter.Snapshot();
            messagesPerCall = (double)counts.Where(c => MessageCounter.IsBetweenPipelineActors(c.Key)).Sum(c => c.Value) / measuredForMessages;
            Program.Log("    messages per measured call, by type: " + string.Join(", ", counts.OrderByDescending(c => c.Value)
                .Select(c => $"{c.Key.Name} {(double)c.Value / measuredForMessages:F2}{(MessageCounter.IsBetweenPipelineActors(c.Key) ? "" : " (not counted)")}")));
        }
        if (allocations is not null) Program.Log("    sampled allocations per measured call, by type:\n" + allocations.Summary(measuredForMessages));
        var samples = await sampler.StopAsync();
        if (Experiments.BatchSummary() is { Length: > 0 } batches) Program.Log($"    measured window: {batches}");
        // Every agent finishes its in-flight call: each submitted call is acked or failed (Ask times out at 60 s).
        await Task.WhenAll(tasks).WaitAsync(AskTimeout + TimeSpan.FromSeconds(30));

        // The history read model is written off the journal's commit: its follower's work is these calls' too, so the
        // point ends once it has caught up (its lag says how far behind the calls it ran).
        var history = Orchestrator.Actors.Journal.CallDirectory.Get(host.Services.GetRequiredService<ActorSystem>()).History;
        var lag = Stopwatch.StartNew();
        var journalEnd = await history.JournalEndAsync(CancellationToken.None);
        var caughtUp = await history.CaughtUpAsync(journalEnd, TimeSpan.FromMinutes(5), CancellationToken.None);
        Program.Log($"    history read model {(caughtUp ? "caught up" : "NOT caught up")} with the journal (position {journalEnd:N0}) {lag.Elapsed.TotalSeconds:F2} s after the last call");

        await StopHostAsync(host);

        if (firstFailure is not null) Program.Log($"    first failure: {firstFailure}");
        var (rows, idsInJournal, manifests) = journal.ReadCallIds();
        Program.Log("    journal rows by manifest: " + string.Join(", ", manifests.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}")));
        var allAcked = acked.SelectMany(x => x).ToList();
        var missing = allAcked.LongCount(id => !idsInJournal.Contains(id));
        var all = latencies.SelectMany(x => x).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Pct(double p) => all.Length == 0 ? 0 : Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]);
        return new PointResult(backend, agents, all.Length, seconds, all.Length / seconds,
            Pct(0.50), Pct(0.99), all.Length == 0 ? 0 : Ms(all[^1]),
            allAcked.Count, failed.Sum(), rows, allAcked.LongCount(idsInJournal.Contains), missing,
            samples.CpuPercent, samples.Gen0, samples.Gen1, samples.Gen2, samples.AvgQueue, samples.AvgThreads)
        {
            Stalled = stalled,
            MessagesPerCall = messagesPerCall,
            AllocatedBytesPerCall = all.Length == 0 ? 0 : (double)samples.AllocatedBytes / all.Length,
        };
    }

    /// <summary>
    /// The SessionRouter: awaited from the ActorRegistry (the supervisor's Register wakes GetAsync waiters), else
    /// resolved by path.
    /// </summary>
    internal static async Task<IActorRef> SessionRouterOf(IHost host)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await host.Services.GetRequiredService<ActorRegistry>().GetAsync<SessionRouter>(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Program.Log("    SessionRouter not in the ActorRegistry after 10 s; resolving /user/orchestrator/sessions");
        }
        return await host.Services.GetRequiredService<ActorSystem>()
            .ActorSelection($"/user/{OrchestratorSupervisor.Name}/{SessionRouter.Name}").ResolveOne(TimeSpan.FromSeconds(20));
    }

    private static Task<IHost> StartHostAsync(PersistenceOptions persistence, PolicySnapshot snapshot, BenchOptions options) =>
        StartHostAsync(persistence, PolicyCatalog.Of(snapshot), options, PipelineOptions.Default with
        {
            Approver = AutomaticApprover.AutoApprove,
            SandboxFor = _ => new InstantSandbox(),
        });

    /// <summary>The real pipeline in a host of its own on <paramref name="persistence"/>, with <paramref name="pipeline"/>'s options.</summary>
    internal static async Task<IHost> StartHostAsync(PersistenceOptions persistence, PolicyCatalog policies, BenchOptions options, PipelineOptions pipeline)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("orchestrator", builder =>
            {
                // An experiment's HOCON first: Orchestrator's persistence HOCON is appended as a fallback.
                if (options.HoconFile is { } file) builder.AddHocon(File.ReadAllText(file), HoconAddMode.Prepend);
                if (options.CountMessages) builder.AddHocon(MessageCounter.Hocon, HoconAddMode.Prepend);
                Experiments.Apply(builder, persistence, options.Experiments);
                builder.AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
                    .WithOrchestratorPersistence(persistence)
                    .WithOrchestratorPipeline(policies, pipeline);
            }))
            .Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Stops the host and its actor system, bounded.</summary>
    internal static async Task StopHostAsync(IHost host)
    {
        try
        {
            await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await host.Services.GetRequiredService<ActorSystem>().WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
            host.Dispose();
        }
        catch (TimeoutException) { Program.Log("    the host did not stop within 30 s; verifying what the journal holds"); }
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>CPU, GC and thread-pool samples over the measured window.</summary>
public sealed class RuntimeSampler(Func<long>? progress)
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private TimeSpan _cpu0;
    private long _wall0;
    private int _g0, _g1, _g2;
    private long _allocated0;
    private long _queueSum, _threadSum, _n;

    public void Start()
    {
        var p = Process.GetCurrentProcess();
        _cpu0 = p.TotalProcessorTime;
        _wall0 = Stopwatch.GetTimestamp();
        (_g0, _g1, _g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        _allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        _loop = Task.Run(async () =>
        {
            long last = 0;
            var tick = 0;
            while (!_stop.IsCancellationRequested)
            {
                try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { break; }
                _queueSum += ThreadPool.PendingWorkItemCount;
                _threadSum += ThreadPool.ThreadCount;
                _n++;
                if (progress is not null && ++tick % 10 == 0)
                {
                    var now = progress();
                    Program.Log($"    {now - last,8:N0} calls/s  tp-queue {ThreadPool.PendingWorkItemCount,6}  threads {ThreadPool.ThreadCount,3}  " +
                                $"gen0 {GC.CollectionCount(0) - _g0} gen2 {GC.CollectionCount(2) - _g2}  heap {GC.GetTotalMemory(false) / 1048576} MiB");
                    last = now;
                }
            }
        });
    }

    public async Task<(double CpuPercent, int Gen0, int Gen1, int Gen2, double AvgQueue, double AvgThreads, long AllocatedBytes)> StopAsync()
    {
        var wall = Stopwatch.GetElapsedTime(_wall0).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated0;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu0).TotalSeconds;
        var gens = (GC.CollectionCount(0) - _g0, GC.CollectionCount(1) - _g1, GC.CollectionCount(2) - _g2);
        await _stop.CancelAsync();
        await _loop;
        var n = Math.Max(1, _n);
        return (100.0 * cpu / wall / Environment.ProcessorCount, gens.Item1, gens.Item2, gens.Item3,
            (double)_queueSum / n, (double)_threadSum / n, allocated);
    }
}
