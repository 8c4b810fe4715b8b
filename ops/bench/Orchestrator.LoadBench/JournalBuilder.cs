using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.LoadBench;

/// <summary>
/// <c>build-journal</c> (ops/bench/restart.sh): records a journal of <c>--calls</c> calls over <c>--sessions</c>
/// sessions through the real pipeline on SQLite in <c>DIR/data</c>, the data directory <c>orchestrator serve --data</c>
/// opens. Per session: its first call runs (intent execute, a sandbox that answers at once with one line of stdout)
/// when the session is among the first <c>--with-output</c>; then allowed and denied calls, decide-only; and, for the
/// first <c>--pending</c> sessions, a last call that asks, with no approver: its approval stays pending (deadline far
/// ahead, so a cached journal stays valid; intent execute, so it asks). Agents submit in a closed loop on <c>--workers</c> tasks, each working
/// through sessions one after another. On success writes <c>DIR/built.json</c> with the scale the journal holds.
/// </summary>
public static class JournalBuilder
{
    public const string Usage =
        "usage: Orchestrator.LoadBench build-journal --dir DIR [--calls 1000000] [--sessions 10000] [--pending 10000] [--with-output 3000] [--workers 1000]";

    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(10); // 1,000 agents queue for a few execution slots at the start

    public sealed record Scale(long Calls, int Sessions, int Pending, int WithOutput, int Workers)
    {
        public static (string Dir, Scale Scale) Parse(string[] args)
        {
            string? dir = null;
            var s = new Scale(1_000_000, 10_000, 10_000, 3_000, 1_000);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--dir": dir = Path.GetFullPath(Next()); break;
                    case "--calls": s = s with { Calls = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                    case "--sessions": s = s with { Sessions = Int() }; break;
                    case "--pending": s = s with { Pending = Int() }; break;
                    case "--with-output": s = s with { WithOutput = Int() }; break;
                    case "--workers": s = s with { Workers = Int() }; break;
                    default: throw new ArgumentException($"unknown argument {args[i]}");
                }
            }
            if (dir is null) throw new ArgumentException("--dir is required");
            if (s.Sessions < 1 || s.Workers < 1) throw new ArgumentException("--sessions and --workers must be positive");
            if (s.Pending > s.Sessions || s.WithOutput > s.Sessions) throw new ArgumentException("--pending and --with-output are at most one per session");
            if (s.Calls < s.Sessions + s.WithOutput) throw new ArgumentException("--calls must leave at least one decided call per session");
            return (dir, s);
        }
    }

    public static async Task<int> MainAsync(string[] args)
    {
        string dir;
        Scale scale;
        try { (dir, scale) = Scale.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var data = Path.Combine(dir, "data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        var workspace = LoadWorkspace.Create(Path.Combine(dir, "workspace"));
        var policyFile = Path.Combine(dir, "bench-policy.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "bench-policy.json"), policyFile, overwrite: true);
        var persistence = PersistenceOptions.Sqlite(data);
        // Loaded the way a server loads it (a catalog over the files, the data directory hidden): the PolicyLoaded it
        // records carries the files' contents, so `orchestrator replay` can rebuild it. A snapshot built by hand
        // (PolicyCatalog.Of) is recorded without them and every call of the journal would replay as undecidable.
        var policies = new PolicyCatalog(new PolicyLoadOptions(workspace)
        {
            SettingsFiles = [policyFile],
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            HomeDirectory = Path.Combine(workspace, "home"),
            DataDirectories = [data],
        });
        var snapshot = policies.Default.Snapshot;
        if (snapshot.FailedClosed) throw new InvalidOperationException(string.Join("; ", snapshot.Errors));
        var mix = new CallMix(workspace);
        if (!MixCheck.Report(snapshot, mix)) return 3;

        var host = await LoadPoint.StartHostAsync(persistence, policies, new BenchOptions(), PipelineOptions.Default with
        {
            Approver = null, // asks stay pending: nobody answers them
            ApprovalTimeout = TimeSpan.FromDays(3650),
            SandboxFor = _ => new InstantSandbox(echo: true),
            PassivateAfter = TimeSpan.FromSeconds(5), // a finished session leaves memory while the others are built
        });
        var sessions = await LoadPoint.SessionRouterOf(host);
        Program.Log($"building {scale.Calls:N0} calls over {scale.Sessions:N0} sessions ({scale.Pending:N0} pending approvals, " +
                    $"{scale.WithOutput:N0} calls run with output) with {scale.Workers} agents in {dir}");

        var decided = Enumerable.Range(0, mix.Count).Where(i => mix.TemplateAt(i).Class != CallMix.Expected.Ask).ToArray();
        var ask = Enumerable.Range(0, mix.Count).First(i => mix.TemplateAt(i).Class == CallMix.Expected.Ask);
        var runnable = Enumerable.Range(0, mix.Count).First(i => mix.TemplateAt(i) is { Class: CallMix.Expected.Allow, Tool: ToolNames.Bash });
        long done = 0, failed = 0;
        string? firstFailure = null;
        var nextSession = -1;
        var sw = Stopwatch.StartNew();
        using var progress = new Timer(_ => Program.Log($"    {Interlocked.Read(ref done):N0} calls recorded, {Math.Min(Volatile.Read(ref nextSession) + 1, scale.Sessions):N0} sessions started, " +
                                                        $"{Interlocked.Read(ref done) / sw.Elapsed.TotalSeconds:N0}/s, failed {Interlocked.Read(ref failed)}"),
            null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        async Task<bool> Submit(ToolCall call, CallIntent intent, bool untilFinished = false)
        {
            object reply;
            try
            {
                reply = await sessions.Ask<object>(new SubmitCall(call, intent), AskTimeout);
                if (untilFinished && reply is CallAccepted)
                {
                    var end = await sessions.Ask<object>(new WatchCall(call.Session, call.Id), AskTimeout);
                    if (end is not CallSnapshot { State.Finished: not null }) reply = end;
                }
            }
            catch (Exception e) { reply = e; }
            if (reply is CallAccepted or CallAlreadyExists)
            {
                Interlocked.Increment(ref done);
                return true;
            }
            Interlocked.Increment(ref failed);
            Interlocked.CompareExchange(ref firstFailure, $"{call.Id}: {reply}", null);
            return false;
        }

        var workers = Enumerable.Range(0, Math.Min(scale.Workers, scale.Sessions)).Select(_ => Task.Run(async () =>
        {
            int s;
            while ((s = Interlocked.Increment(ref nextSession)) < scale.Sessions && Interlocked.Read(ref failed) < 100)
            {
                var calls = scale.Calls / scale.Sessions + (s < scale.Calls % scale.Sessions ? 1 : 0);
                ToolCall Call(long n, int template) => mix.CallIn(template, new AgentId($"agent-{s % 1000}"),
                    new SessionId(SessionOf(s)), CallIdOf(s, n));
                long n = 0;
                if (s < scale.WithOutput && !await Submit(Call(n++, runnable), CallIntent.Execute, untilFinished: true)) continue;
                var last = s < scale.Pending ? calls - 1 : calls;
                for (; n < last; n++)
                    if (!await Submit(Call(n, decided[(int)((n + s) % decided.Length)]), CallIntent.DecideOnly)) break;
                // Execute: an ask asks for an approval (decide-only would only report the decision).
                if (s < scale.Pending) await Submit(Call(n, ask), CallIntent.Execute);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = sw.Elapsed.TotalSeconds;
        await progress.DisposeAsync();
        Program.Log($"recorded {done:N0} calls in {seconds:F0} s ({done / seconds:N0}/s), failed {failed}" + (firstFailure is null ? "" : $"; first failure: {firstFailure}"));
        await LoadPoint.StopHostAsync(host);

        var (rows, ids, manifests) = JournalStore.ReadCallIds(persistence.DatabasePath);
        Program.Log($"journal: {rows:N0} rows, {ids.Count:N0} calls; by manifest: " +
                    string.Join(", ", manifests.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}")));
        if (failed > 0)
        {
            Console.Error.WriteLine($"FAILED: {failed} calls were not recorded; the journal holds {ids.Count:N0} calls (no built.json written)");
            return 1;
        }
        var built = new
        {
            calls = ids.Count, journalRows = rows, sessions = scale.Sessions, pendingApprovals = scale.Pending, withOutput = scale.WithOutput,
            buildSeconds = Math.Round(seconds), builtAt = DateTime.UtcNow,
            sampleWithOutput = Enumerable.Range(0, Math.Min(scale.WithOutput, 20)).Select(i => CallIdOf((int)((long)i * scale.WithOutput / Math.Min(scale.WithOutput, 20)), 0)),
            sampleDecided = Enumerable.Range(0, 20).Select(i => CallIdOf((int)((long)i * scale.Sessions / 20), scale.Calls / scale.Sessions / 2)),
        };
        await File.WriteAllTextAsync(Path.Combine(dir, "built.json"), JsonSerializer.Serialize(built, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"built: calls {ids.Count}, sessions {scale.Sessions}, pending approvals {scale.Pending}, with output {scale.WithOutput}, {seconds:F0} s");
        return 0;
    }

    public static string SessionOf(int session) => $"restart-s{session}";

    public static string CallIdOf(int session, long n) => $"s{session}-c{n}";
}
