using System.CommandLine;
using System.Text.Json;
using Orchestrator.Actors.History;
using Orchestrator.Core.Text;
using Orchestrator.Server;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator replay --policy FILE… [--replace] [--from] [--to] [--agent] [--json]</c>: a what-if replay of the
/// recorded calls (<see cref="JournalReplay"/>) — on the server holding the data, else on the journal directly, with a
/// progress bar for long replays — printing the calls whose verdict would change, grouped by rule, with examples.
/// <c>--scan</c> reads the decisions by scanning the journal rather than through the history read model (the cold figure).
/// <c>--shadow</c> prints instead what the server's shadow policy disagreed with, by rule.
/// </summary>
internal static class ReplayCommand
{
    private const long ProgressFrom = 50_000;

    public static Command Create()
    {
        var command = new Command("replay", "Judge the recorded calls again against other settings (executing nothing) and print what would change, by rule");
        var policies = new Option<string[]>("--policy") { Description = "A candidate settings file (repeatable): added as the command-line layer on top of each call's recorded layers" };
        var replace = new Option<bool>("--replace") { Description = "Judge with the --policy files instead of the recorded layers" };
        var from = new Option<string?>("--from") { Description = "Only calls received at or after this time (ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "Only calls received before this time (ISO 8601)" };
        var agent = new Option<string?>("--agent") { Description = "Only this agent's calls" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (replayed, changed, undecidable, byRule, …)" };
        var shadow = new Option<bool>("--shadow") { Description = "Summarise the disagreements of the server's --shadow-policy instead" };
        var scan = new Option<bool>("--scan")
        {
            Description = "Read the recorded decisions by scanning the journal itself instead of through the history read model (to compare; --data/--postgres only)",
        };
        var source = new JournalSource();
        command.Options.Add(policies);
        command.Options.Add(replace);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(agent);
        command.Options.Add(json);
        command.Options.Add(shadow);
        command.Options.Add(scan);
        source.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var request = new ReplayRequest
            {
                Replace = result.GetValue(replace), From = result.GetValue(from), To = result.GetValue(to), Agent = result.GetValue(agent),
            };
            var asJson = result.GetValue(json);
            if (result.GetValue(shadow)) return ShadowCommand.RunAsync(result, source, asJson, ct);
            var files = new List<ReplayPolicyFile>();
            foreach (var file in result.GetValue(policies) ?? [])
            {
                try { files.Add(new ReplayPolicyFile { Name = Path.GetFullPath(file), Content = File.ReadAllText(file) }); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"orchestrator: --policy {DisplayText.Escape(file)} cannot be read: {e.Message}");
                    return Task.FromResult(ExitCodes.BadInput);
                }
            }
            request.Policies = files;
            var (policy, fromAt, toAt, error) = request.Read();
            if (error is not null)
            {
                Console.Error.WriteLine($"orchestrator: --{error}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            var cold = result.GetValue(scan);
            return source.RunAsync(result, async client =>
            {
                if (cold)
                {
                    Console.Error.WriteLine("orchestrator: --scan reads a journal no server holds: give --data or --postgres");
                    return ExitCodes.BadInput;
                }
                var response = await client.SendAsync(HttpMethod.Post, "v1/replay", request, ct);
                if (!response.IsSuccess)
                {
                    Console.Error.WriteLine($"orchestrator: {response.ErrorText}");
                    return ExitCodes.Failure;
                }
                return Print(response.Body.Deserialize<HistoryViews.Report>(OrchestratorServer.Json)!, asJson);
            }, async system =>
            {
                await using var history = new JournalHistory(system);
                var (report, elapsed) = await WithProgressAsync(history, asJson,
                    progress => JournalReplay.RunAsync(history, policy!, fromAt, toAt, request.Agent, progress, ct, cold), ct);
                return Print(HistoryViews.ReportOf(report, elapsed, Environment.ProcessorCount), asJson); // read directly: no live decisions to leave cores to
            }, ct);
        });
        return command;
    }

    /// <summary>Runs the replay under a progress bar on standard error when the journal is long and a person watches.</summary>
    private static async Task<T> WithProgressAsync<T>(JournalHistory history, bool json, Func<Action<long>?, Task<T>> run, CancellationToken ct)
    {
        if (json || Console.IsErrorRedirected) return await run(null);
        var total = await history.CountCallsAsync(ct);
        if (total < ProgressFrom) return await run(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress().StartAsync(async context =>
        {
            var task = context.AddTask("replaying recorded calls", maxValue: total);
            return await run(done => task.Value = done);
        });
    }

    private static int Print(HistoryViews.Report report, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, OrchestratorServer.Json));
            return ExitCodes.Allow;
        }
        Console.WriteLine($"replayed {report.Replayed:N0} recorded calls in {report.Seconds:0.###} s ({report.CallsPerSecond:N0} calls/s{(report.Cores > 0 ? $" on {report.Cores} cores" : "")}): " +
            $"{report.Changed:N0} would change verdict, {report.Undecidable:N0} undecidable");
        PrintGroups(report.ByRule);
        foreach (var e in report.UndecidableExamples)
            Console.WriteLine($"  undecidable: {DisplayText.Escape(e.CallId)} ({DisplayText.Escape(e.Tool)}, agent {DisplayText.Escape(e.Agent)}): {DisplayText.Escape(e.Reason)}");
        return ExitCodes.Allow;
    }

    public static void PrintGroups(IEnumerable<HistoryViews.ChangeGroup> groups)
    {
        foreach (var g in groups)
        {
            Console.WriteLine($"  {DisplayText.Escape(g.Rule)}: {g.Before} → {g.After}  {g.Count:N0} call{(g.Count == 1 ? "" : "s")}");
            foreach (var e in g.Examples)
                Console.WriteLine($"      e.g. {DisplayText.Escape(e.CallId)} ({DisplayText.Escape(e.Tool)}, agent {DisplayText.Escape(e.Agent)}): {DisplayText.Escape(e.Reason)}");
        }
    }
}
