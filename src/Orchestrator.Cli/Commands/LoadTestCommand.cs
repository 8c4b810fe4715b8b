using System.CommandLine;
using Orchestrator.Actors.Hosting;
using Orchestrator.Cli.Commands.LoadTest;
using Orchestrator.Load;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator loadtest</c>: many simulated agents submitting calls in parallel (<see cref="LoadDriver"/>) to a
/// running server (<c>--target URL</c>, or the one holding <c>--data</c>) or to one started in this process
/// (<c>--embedded</c>), with a live display and a final report checked against the journal
/// (<see cref="LoadTestJournalCheck"/>). Exit 0 when the report's counts add up and the journal holds every answered
/// call with its outcome; 1 when not (or nothing was answered); 2 for bad options.
/// </summary>
internal static class LoadTestCommand
{
    public static Command Create()
    {
        var command = new Command("loadtest", "Load a server with many simulated agents and report throughput, latency and approvals, checked against the journal");
        var agents = new Option<int>("--agents") { Description = "Simulated agents submitting in parallel, each in its own session", Required = true };
        var calls = new Option<long?>("--calls") { Description = "Calls in all (or --duration)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds to submit for (or --calls); calls in flight at the end still count" };
        var mix = new Option<string>("--mix") { Description = "Weights of decide-only allow, ask and deny calls and of executed calls, allow:ask:deny:exec", DefaultValueFactory = _ => LoadMix.Default.ToString() };
        var approver = new Option<string>("--approver") { Description = "Who answers the run's approvals through the approvals API: auto, delay:MS or operator-bot:P (P = probability of approving)", DefaultValueFactory = _ => "auto" };
        var target = new Option<string?>("--target") { Description = "The server's URL (default: the server holding --data)" };
        var embedded = new Option<bool>("--embedded") { Description = "Start the server in this process on a temporary data directory, with the benchmarks' policy" };
        var workspaces = new Option<int>("--workspaces") { Description = "Workspaces the agents are spread over (K > 1 against a target: DIR/loadtest-ws-N, which the server must serve)", DefaultValueFactory = _ => 1 };
        var workspace = new Option<string?>("--workspace") { Description = "The target's workspace the calls are made in (default: the current directory)" };
        var thinkMs = new Option<double>("--think-ms") { Description = "Mean pause of an agent between an answer and its next call (exponential; default 0)", DefaultValueFactory = _ => 0 };
        var wait = new Option<double>("--wait") { Description = "Seconds a call waits for its answer (approvals included) before it counts as an error", DefaultValueFactory = _ => 300 };
        var approverToken = new Option<string?>("--approver-token") { Description = "The approver's bearer token, an operator's, when the agents submit with another (with tokens nobody approves a call they submitted); default: the same credential" };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object" };
        var markdown = new Option<bool>("--md") { Description = "Print the report as a markdown table" };
        var client = new ClientOptions();
        foreach (var option in new Option[] { agents, calls, duration, mix, approver, target, embedded, workspaces, workspace, thinkMs, wait, approverToken, json, markdown })
            command.Options.Add(option);
        command.Options.Add(client.Token);
        command.Options.Add(client.Data);
        command.SetAction((result, ct) =>
        {
            var (settings, error) = LoadTestSettings.Create(result.GetValue(agents), result.GetValue(calls), result.GetValue(duration), result.GetValue(mix)!,
                result.GetValue(approver)!, result.GetValue(target), result.GetValue(embedded), result.GetValue(workspaces), result.GetValue(thinkMs),
                result.GetValue(json), result.GetValue(markdown), result.GetValue(wait), result.GetValue(workspace));
            if (error is not null)
            {
                Console.Error.WriteLine($"orchestrator: {error}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            return RunAsync(settings!, result, client, result.GetValue(approverToken), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(LoadTestSettings settings, ParseResult result, ClientOptions client, string? approverToken, CancellationToken ct)
    {
        await using var embedded = settings.Embedded ? await LoadTestEmbedded.StartAsync(settings.Workspaces, ct) : null;
        Uri server;
        string? credential, database = null;
        IReadOnlyList<string> workspaceDirs;
        if (embedded is not null)
        {
            (server, credential, database, workspaceDirs) = (embedded.Url, embedded.Credential, embedded.JournalDatabase, embedded.Workspaces);
        }
        else
        {
            var url = settings.Target ?? client.ServerFor(result);
            if (url is null)
            {
                Console.Error.WriteLine($"orchestrator: no server holds the data directory {client.DataDirectory(result)}; name one with --target URL, start one with 'orchestrator serve', or use --embedded");
                return ExitCodes.Failure;
            }
            server = new Uri(url.TrimEnd('/') + "/");
            credential = client.Credential(result);
            // The journal is read directly when it is the target's and on this machine; else each call is checked through the API.
            var local = PersistenceOptions.Sqlite(client.DataDirectory(result)).DatabasePath;
            if (File.Exists(local) && (settings.Target is null || result.GetResult(client.Data) is { Implicit: false })) database = local;
            var dir = settings.Workspace ?? Directory.GetCurrentDirectory();
            workspaceDirs = settings.Workspaces == 1 ? [dir] : [.. Enumerable.Range(0, settings.Workspaces).Select(i => LoadWorkspace.Create(Path.Combine(dir, $"loadtest-ws-{i}")))];
        }

        using var http = LoadTestHttp.Client(server, credential, settings);
        if (await ReadyAsync(http, ct) is { } notReady)
        {
            Console.Error.WriteLine($"orchestrator: the server at {server} is not ready: {notReady}");
            return ExitCodes.Failure;
        }
        var runId = Guid.NewGuid().ToString("N")[..8];
        using var stopApprover = new CancellationTokenSource();
        using var approverHttp = approverToken is null ? null : LoadTestHttp.Client(server, approverToken, settings);
        var approver = new LoadTestApprover(approverHttp ?? http, settings.Approver, LoadTestHttp.PrefixOf(runId));
        var agents = new LoadTestHttp(http, settings, [.. workspaceDirs.Select(d => new CallMix(d))], settings.Workspaces > 1, approver, runId);
        var start = database is null ? 0 : JournalCalls.HighWater(database);
        var tally = new LoadTally();

        var approving = Task.Run(() => approver.RunAsync(stopApprover.Token), CancellationToken.None);
        var run = LoadDriver.RunAsync(settings.Plan, tally, agents.SubmitAsync, ct);
        await LoadTestProgress.FollowAsync(settings, tally, approver, run);
        var elapsed = await run;
        await stopApprover.CancelAsync();
        await approving;

        LoadTestJournalCheck check;
        if (embedded is not null) await embedded.StopAsync();
        check = database is not null
            ? LoadTestJournalCheck.FromDatabase(database, start, agents.Answered, agents.Prefix)
            : await LoadTestJournalCheck.ThroughApiAsync(http, agents.Answered, CancellationToken.None);
        var report = LoadTestReport.From(embedded is null ? server.ToString().TrimEnd('/') : "an embedded server", settings, tally, elapsed, approver, check);
        Console.Out.Write(settings.Format switch
        {
            ReportFormat.Json => report.Json() + Environment.NewLine,
            ReportFormat.Markdown => report.Markdown(),
            _ => report.Text(),
        });
        return report.CountsAddUp && check.Verified && report.Calls > 0 ? ExitCodes.Allow : ExitCodes.Failure;
    }

    /// <summary>Null once <c>/readyz</c> answers 200 (waiting up to a minute for a server still recovering), else why not.</summary>
    private static async Task<string?> ReadyAsync(HttpClient http, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        string last = "no answer";
        while (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync("readyz", ct);
                if (response.IsSuccessStatusCode) return null;
                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (HttpRequestException e) { last = e.Message; }
            catch (OperationCanceledException) { break; }
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
        return last;
    }
}
