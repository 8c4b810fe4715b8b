using System.Collections.Immutable;
using System.Text;
using Orchestrator.Actors.History;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Policy.Sources;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// <c>GET /v1/history</c>: the calls in the journal's global order, filtered (<see cref="HistoryQuery"/>) and paged by
/// cursor. <c>POST /v1/replay</c>: a what-if replay of the recorded calls against candidate settings sent in the body
/// (<see cref="ReplayRequest"/>), executing nothing. <c>GET /v1/shadow</c>: the recorded disagreements of the shadow
/// policy (<c>serve --shadow-policy</c>), by rule. Operators and admins only. A replay runs on
/// <see cref="ServerOptions.ReplayCores"/> cores, one at a time (<see cref="ReplayGate"/>).
/// </summary>
internal static class HistoryRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/history", async (HttpContext http, JournalHistory history, CancellationToken ct) =>
        {
            var (filter, after, limit, error) = HistoryQuery.Parse(name => http.Request.Query[name].FirstOrDefault());
            if (error is not null) return Error(StatusCodes.Status400BadRequest, error);
            try
            {
                var page = await history.ListAsync(filter, after, limit, ct);
                return Results.Json(HistoryViews.PageOf(page.Calls, page.Next), OrchestratorServer.Json);
            }
            catch (Actors.Journal.HistoryModelBehindException behind)
            {
                return Unavailable(behind.Message, retryAfterSeconds: 5);
            }
        });
        app.MapGet("/v1/shadow", async (JournalHistory history, ServerOptions options, CancellationToken ct) =>
            Results.Json(HistoryViews.ShadowOf(await history.ShadowReportAsync(ct), options.ShadowPolicy), OrchestratorServer.Json));
        app.MapPost("/v1/replay", async (HttpContext http, JournalHistory history, ServerOptions options, ReplayGate gate, CancellationToken ct) =>
        {
            var (body, error) = await ReadJsonAsync<ReplayRequest>(http);
            if (error is not null) return error;
            var (policy, from, to, problem) = body!.Read();
            if (problem is not null) return Error(StatusCodes.Status400BadRequest, problem);
            if (!gate.TryEnter())
                return TooMany("a replay is already running on this server (one at a time, so live decisions keep their cores); retry when it has finished",
                    retryAfterSeconds: 5);
            try
            {
                var (report, elapsed) = await JournalReplay.RunAsync(history, policy!, from, to, body.Agent, cancellationToken: ct, parallelism: options.ReplayCores);
                return Results.Json(HistoryViews.ReportOf(report, elapsed, options.ReplayCores), OrchestratorServer.Json);
            }
            catch (Actors.Journal.HistoryModelBehindException behind)
            {
                return Unavailable(behind.Message, retryAfterSeconds: 5);
            }
            finally
            {
                gate.Exit();
            }
        });
    }
}

/// <summary>
/// The body of <c>POST /v1/replay</c>: the candidate settings files (<c>name</c> and <c>content</c>, in the
/// <c>settings.json</c> format; none: the recorded policies themselves), <c>replace</c> (instead of the recorded layers,
/// not on top of them), and the window: <c>from</c>, <c>to</c> (ISO 8601), <c>agent</c>.
/// </summary>
public sealed class ReplayRequest
{
    public List<ReplayPolicyFile>? Policies { get; set; }
    public bool Replace { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Agent { get; set; }

    public (ReplayPolicy? Policy, DateTimeOffset? From, DateTimeOffset? To, string? Error) Read()
    {
        var (filter, _, _, error) = HistoryQuery.Parse(name => name switch { "from" => From, "to" => To, _ => null });
        if (error is not null) return (null, null, null, error);
        var files = ImmutableArray.CreateBuilder<PolicyFileObservation>();
        foreach (var (file, i) in (Policies ?? []).Select((f, i) => (f, i)))
        {
            if (file?.Content is null) return (null, null, null, $"policies[{i}] needs a content");
            var name = string.IsNullOrWhiteSpace(file.Name) ? $"candidate-{i + 1}.json" : file.Name;
            // The candidate's rules are located by this name (it is never opened on the server's disk).
            var path = name.StartsWith('/') ? name : "/replay/" + name;
            files.Add(new PolicyFileObservation(path, PolicyFileKind.File) { Bytes = [.. Encoding.UTF8.GetBytes(file.Content)] });
        }
        if (Replace && files.Count == 0) return (null, null, null, "replace needs at least one policy file");
        return (new ReplayPolicy(files.ToImmutable(), Replace), filter.From, filter.To, null);
    }
}

/// <summary>One candidate settings file of a replay: a name (for where its rules are written) and its text.</summary>
public sealed class ReplayPolicyFile
{
    public string? Name { get; set; }
    public string? Content { get; set; }
}
