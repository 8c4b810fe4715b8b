using System.CommandLine;
using System.Text.Json;
using Orchestrator.Actors.History;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator replay --shadow</c>: what the server's shadow policy disagreed with, by rule (server or journal).</summary>
internal static class ShadowCommand
{
    public static Task<int> RunAsync(ParseResult result, JournalSource source, bool json, CancellationToken ct) =>
        source.RunAsync(result, async client =>
        {
            var response = await client.SendAsync(HttpMethod.Get, "v1/shadow", null, ct);
            if (!response.IsSuccess)
            {
                Console.Error.WriteLine($"orchestrator: {response.ErrorText}");
                return ExitCodes.Failure;
            }
            return Print(response.Body.Deserialize<HistoryViews.Shadow>(OrchestratorServer.Json)!, json);
        }, async system =>
        {
            await using var history = new JournalHistory(system);
            return Print(HistoryViews.ShadowOf(await history.ShadowReportAsync(ct), null), json);
        }, ct);

    private static int Print(HistoryViews.Shadow shadow, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(shadow, OrchestratorServer.Json));
            return ExitCodes.Allow;
        }
        Console.WriteLine($"shadow policy{(shadow.Candidate is null ? "" : " " + Core.Text.DisplayText.Escape(shadow.Candidate))}: " +
            $"{shadow.Disagreements:N0} live call{(shadow.Disagreements == 1 ? "" : "s")} judged otherwise (enforced → candidate)");
        ReplayCommand.PrintGroups(shadow.ByRule);
        return ExitCodes.Allow;
    }
}
