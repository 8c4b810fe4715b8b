using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.LoadBench;

/// <summary>
/// <c>readers-vs-writers</c> (ops/bench/readers.sh): what clients reading one call's events in a long session do to
/// other agents' submissions, over HTTP against a running <c>orchestrator serve</c>. First one session is filled with
/// <c>--session-calls</c> decide-only calls (one event each); then <c>--writers</c> agents, each in its own session,
/// submit decide-only calls back-to-back for <c>--seconds</c> alone (the baseline, same run), and again while
/// <c>--readers</c> clients read <c>GET /v1/calls/{id}/events</c> of random calls of the long session back-to-back.
/// Prints the submit p50/p99 of both phases and the readers' rate as a markdown table.
/// </summary>
public static class ReadersVsWriters
{
    public const string Usage =
        "usage: Orchestrator.LoadBench readers-vs-writers --url URL --secret-file FILE --workspace DIR [--session-calls 7000] [--readers 16] [--writers 8] [--seconds 10]";

    private sealed record Settings(Uri Url, string Secret, string Workspace, int SessionCalls, int Readers, int Writers, double Seconds);

    private static Settings Parse(string[] args)
    {
        Uri? url = null;
        string? secret = null, workspace = null;
        int sessionCalls = 7000, readers = 16, writers = 8;
        double seconds = 10;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = new Uri(Next()); break;
                case "--secret-file": secret = File.ReadAllText(Next()).Trim(); break;
                case "--workspace": workspace = Path.GetFullPath(Next()); break;
                case "--session-calls": sessionCalls = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--readers": readers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--writers": writers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (url is null || secret is null || workspace is null) throw new ArgumentException("--url, --secret-file and --workspace are required");
        return new Settings(url, secret, workspace, sessionCalls, readers, writers, seconds);
    }

    public static async Task<int> MainAsync(string[] args)
    {
        Settings s;
        try { s = Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var mix = new CallMix(s.Workspace);
        var templates = Enumerable.Range(0, mix.Count).Where(i => mix.TemplateAt(i).Class != CallMix.Expected.Ask).ToArray();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = s.Url,
            Timeout = TimeSpan.FromSeconds(120),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", s.Secret);
        var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

        async Task<bool> SubmitAsync(string agent, string session, string id, int template)
        {
            var call = mix.CallIn(template, new AgentId(agent), new SessionId(session), id);
            using var response = await client.PostAsJsonAsync("/v1/calls", new
            {
                id, agentId = agent, sessionId = session, tool = call.ToolName, input = call.Input, cwd = s.Workspace, intent = "decide-only",
            });
            return response.IsSuccessStatusCode;
        }

        // The long session: its calls submitted 32 at a time (one session, so its writes batch).
        var longSession = $"long-{run}";
        var longIds = Enumerable.Range(0, s.SessionCalls).Select(n => $"{longSession}-c{n}").ToArray();
        var fill = Stopwatch.StartNew();
        var next = -1;
        long filled = 0, fillFailed = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < s.SessionCalls)
                if (await SubmitAsync("agent-long", longSession, longIds[n], templates[n % templates.Length])) Interlocked.Increment(ref filled);
                else Interlocked.Increment(ref fillFailed);
        })));
        Program.Log($"long session {longSession}: {filled:N0} calls recorded in {fill.Elapsed.TotalSeconds:F0} s, {fillFailed} failed");
        if (fillFailed > 0) return 1;

        var alone = await PhaseAsync(s, SubmitAsync, templates, $"alone-{run}", readers: 0, client, longIds);
        Program.Log($"writers alone: {alone.Summary()}");
        var during = await PhaseAsync(s, SubmitAsync, templates, $"read-{run}", s.Readers, client, longIds);
        Program.Log($"writers with {s.Readers} readers: {during.Summary()}");

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"Readers vs writers, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: {s.Writers} agents submitting decide-only calls back-to-back " +
            $"(each its own session) for {s.Seconds}s, alone and while {s.Readers} clients read GET /v1/calls/{{id}}/events of random calls of one {s.SessionCalls:N0}-call session");
        table.AppendLine();
        table.AppendLine("| phase | submits | submits/s | submit p50 ms | submit p99 ms | reads | reads/s | read p50 ms | read p99 ms | failed |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, p) in new[] { ("writers alone (baseline)", alone), ($"writers + {s.Readers} readers", during) })
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {p.Submits.Count:N0} | {p.Submits.Count / p.Seconds:N0} | {Pct(p.Submits, 0.5):F1} | {Pct(p.Submits, 0.99):F1} | {p.Reads.Count:N0} | {p.Reads.Count / p.Seconds:N0} | " +
                $"{(p.Reads.Count == 0 ? "—" : Pct(p.Reads, 0.5).ToString("F1", CultureInfo.InvariantCulture))} | {(p.Reads.Count == 0 ? "—" : Pct(p.Reads, 0.99).ToString("F1", CultureInfo.InvariantCulture))} | {p.Failed} |");
        Console.WriteLine(table.ToString());
        return alone.Failed + during.Failed == 0 ? 0 : 1;
    }

    private sealed record Phase(List<double> Submits, List<double> Reads, double Seconds, long Failed)
    {
        public string Summary() =>
            $"{Submits.Count:N0} submits, p50 {Pct(Submits, 0.5):F1} ms, p99 {Pct(Submits, 0.99):F1} ms; {Reads.Count:N0} reads, p50 {Pct(Reads, 0.5):F1} ms; failed {Failed}";
    }

    private static async Task<Phase> PhaseAsync(Settings s, Func<string, string, string, int, Task<bool>> submit, int[] templates, string prefix,
        int readers, HttpClient client, string[] longIds)
    {
        var stop = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(s.Seconds);
        long failed = 0;
        var submits = new List<double>[s.Writers];
        var reads = new List<double>[readers];
        var readerTasks = Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            reads[r] = [];
            var random = new Random(r);
            while (stop.Elapsed < until)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync($"/v1/calls/{longIds[random.Next(longIds.Length)]}/events");
                await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode) reads[r].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                else Interlocked.Increment(ref failed);
            }
        })).ToArray();
        var writerTasks = Enumerable.Range(0, s.Writers).Select(w => Task.Run(async () =>
        {
            submits[w] = [];
            long n = 0;
            while (stop.Elapsed < until)
            {
                var t0 = Stopwatch.GetTimestamp();
                var ok = await submit($"agent-{prefix}-{w}", $"{prefix}-{w}", $"{prefix}-{w}-c{n}", templates[(int)((n + w) % templates.Length)]);
                n++;
                if (ok) submits[w].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                else Interlocked.Increment(ref failed);
            }
        })).ToArray();
        await Task.WhenAll(writerTasks.Concat(readerTasks));
        return new Phase(submits.SelectMany(x => x).ToList(), reads.SelectMany(x => x).ToList(), stop.Elapsed.TotalSeconds, failed);
    }

    private static double Pct(List<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
