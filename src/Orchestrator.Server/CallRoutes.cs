using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy.Evaluation;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// <c>POST /v1/calls</c>: 201 recorded and finished, 202 recorded and still going (pending approval or running), 200
/// for an id already submitted; with <c>wait</c> (seconds) it answers once the call is finished or the wait is over.
/// <c>GET /v1/calls/{id}</c>, <c>GET /v1/calls/{id}/events</c>, <c>POST /v1/check</c> (verdict only, not recorded).
/// </summary>
internal static class CallRoutes
{
    public static void Map(WebApplication app, PolicyEvaluator evaluator)
    {
        app.MapPost("/v1/check", async (HttpContext http) =>
        {
            var (request, error) = await CallRequestReader.ReadAsync(http, requireIds: false);
            if (error is not null) return error;
            return Results.Json(VerdictView.From(evaluator.Evaluate(request!.Call, sandboxed: false)), OrchestratorServer.Json);
        });
        app.MapPost("/v1/calls", Submit);
        app.MapGet("/v1/calls/{id}", async (string id, PipelineGateway pipeline, CancellationToken ct) =>
        {
            if (InvalidId("call id", id) is { } invalid) return invalid;
            var (session, error) = await LocateAsync(pipeline, new CallId(id), ct);
            if (error is not null) return error;
            var (answer, askError) = await pipeline.AskAsync<SessionRouter>(new GetCall(session, new CallId(id)), ct);
            return askError ?? answer switch
            {
                CallSnapshot s => Results.Json(CallView.From(s.State, s.Output), OrchestratorServer.Json),
                CallNotFound => Error(StatusCodes.Status404NotFound, $"no call {id}"),
                _ => Unexpected(answer!),
            };
        });
        app.MapGet("/v1/calls/{id}/events", async (string id, PipelineGateway pipeline, ActorSystem system, CancellationToken ct) =>
        {
            if (InvalidId("call id", id) is { } invalid) return invalid;
            var (session, error) = await LocateAsync(pipeline, new CallId(id), ct);
            if (error is not null) return error;
            var events = await new CallHistoryReader(system).EventsOfAsync(session, new CallId(id), ct);
            return Results.Json(new { callId = id, sessionId = session.Value, events = events.Select(EventView.From) }, OrchestratorServer.Json);
        });
    }

    private static async Task<IResult> Submit(HttpContext http, Ingress ingress, PipelineGateway pipeline)
    {
        var (request, error) = await CallRequestReader.ReadAsync(http, requireIds: true);
        if (error is not null) return error;
        var (call, intent, wait) = request!;
        var ct = http.RequestAborted;

        var (located, locateError) = await pipeline.AskAsync<CallIndex>(new LocateCall(call.Id), ct);
        if (locateError is not null) return locateError;
        if (located is CallLocated { } where && where.Session != call.Session)
            return IdTaken(call.Id, where.Session);

        if (!ingress.TrySubmit(new SubmitCall(call, intent), out var reply, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, $"too many calls queued for agent {call.Agent}; retry later");
        }
        object answer;
        try { answer = await reply; }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException or InvalidOperationException
                                       or Actors.Journal.JournalIntegrityException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"the call pipeline did not answer: {e.Message}");
        }
        var (state, isNew) = answer switch
        {
            CallAccepted a => (a.State, true),
            CallAlreadyExists e => (e.State, false),
            _ => ((CallState?)null, false),
        };
        if (state is null)
            return answer switch
            {
                CallIdTaken taken => IdTaken(taken.CallId, taken.Holder),
                CallNotAccepted n => Error(StatusCodes.Status503ServiceUnavailable, $"call {n.CallId} not accepted: {n.Reason}"),
                _ => Unexpected(answer),
            };

        CallOutput? output = null;
        if (wait is { } waitFor && !state.IsTerminal)
        {
            var (watched, _) = await pipeline.AskAsync<SessionRouter>(new WatchCall(call.Session, call.Id), ct, waitFor);
            if (watched is CallSnapshot done) (state, output) = (done.State, done.Output);
            else if ((await pipeline.AskAsync<SessionRouter>(new GetCall(call.Session, call.Id), ct)).Answer is CallSnapshot now)
                (state, output) = (now.State, now.Output);
        }
        http.Response.Headers.Location = $"/v1/calls/{Uri.EscapeDataString(call.Id.Value)}";
        var status = !isNew ? StatusCodes.Status200OK : state.IsTerminal ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
        return Results.Json(CallView.From(state, output), OrchestratorServer.Json, statusCode: status);
    }

    private static IResult IdTaken(CallId id, SessionId holder) =>
        Error(StatusCodes.Status409Conflict, $"call id {id} is already used in session {holder}; call ids are unique across sessions");

    private static async Task<(SessionId Session, IResult? Error)> LocateAsync(PipelineGateway pipeline, CallId id, CancellationToken ct)
    {
        var (answer, error) = await pipeline.AskAsync<CallIndex>(new LocateCall(id), ct);
        if (error is not null) return (default, error);
        return answer is CallLocated located
            ? (located.Session, null)
            : (default, Error(StatusCodes.Status404NotFound, $"no call {id}"));
    }
}
