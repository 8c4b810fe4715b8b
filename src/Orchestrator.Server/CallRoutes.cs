using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// <c>POST /v1/calls</c>: 201 recorded and finished, 202 recorded and still going (pending approval or running), 200
/// for an id already submitted; with <c>wait</c> (seconds) it answers once the call is finished or the wait is over.
/// <c>GET /v1/calls/{id}</c>, <c>GET /v1/calls/{id}/events</c>, <c>POST /v1/check</c> (a decide-only call, see <see cref="CheckRoute"/>).
/// An agent's token submits and reads only its own agent's calls, and only in sessions its agent opened (403).
/// </summary>
internal static class CallRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/v1/check", CheckRoute.Handle);
        app.MapPost("/v1/calls", Submit);
        app.MapGet("/v1/calls/{id}", async (string id, HttpContext http, PipelineGateway pipeline, ActorSystem system, CancellationToken ct) =>
        {
            if (InvalidId("call id", id) is { } invalid) return invalid;
            var (session, error) = await LocateAsync(http, pipeline, new CallId(id), ct);
            if (error is not null) return error;
            var (answer, askError) = await pipeline.AskAsync<SessionRouter>(new GetCall(session, new CallId(id)), ct);
            return askError ?? answer switch
            {
                CallSnapshot s when RefuseUnlessOwn(http, s.State) is { } refused => refused,
                CallSnapshot s => Results.Json(CallView.From(s.State, await OutputOfAsync(system, session, s.State, s.Output, ct)), OrchestratorServer.Json),
                CallNotFound => Error(StatusCodes.Status404NotFound, $"no call {id}"),
                _ => Unexpected(answer!),
            };
        });
        app.MapGet("/v1/calls/{id}/events", async (string id, HttpContext http, PipelineGateway pipeline, ActorSystem system, CancellationToken ct) =>
        {
            if (InvalidId("call id", id) is { } invalid) return invalid;
            var (session, error) = await LocateAsync(http, pipeline, new CallId(id), ct);
            if (error is not null) return error;
            if (http.Principal().Role == Role.Agent)
            {
                var (answer, askError) = await pipeline.AskAsync<SessionRouter>(new GetCall(session, new CallId(id)), ct);
                if (askError is not null) return askError;
                if (answer is not CallSnapshot snapshot) return Error(StatusCodes.Status404NotFound, $"no call {id}");
                if (RefuseUnlessOwn(http, snapshot.State) is { } refused) return refused;
            }
            var events = await new CallHistoryReader(system).EventsOfAsync(session, new CallId(id), ct);
            return Results.Json(new { callId = id, sessionId = session.Value, events = events.Select(EventView.From) }, OrchestratorServer.Json);
        });
    }

    private static async Task<IResult> Submit(HttpContext http, Ingress ingress, PipelineGateway pipeline)
    {
        var (request, error) = await CallRequestReader.ReadAsync(http, requireIds: true);
        if (error is not null) return error;
        var (submitted, intent, wait, _) = request!;
        if (http.RefuseUnlessActingFor(submitted.Agent, RouteAction.SubmitCall) is { } refused) return refused;
        var call = submitted with { SubmittedBy = http.Principal().SubmitterName };
        return await SubmitAsync(http, ingress, pipeline, call, intent, wait, CallView.From);
    }

    /// <summary>
    /// Submits <paramref name="call"/> through the fair ingress to its session and answers with
    /// <paramref name="view"/> of its state: 201 recorded and finished, 202 still going, 200 submitted before.
    /// </summary>
    internal static async Task<IResult> SubmitAsync(HttpContext http, Ingress ingress, PipelineGateway pipeline, ToolCall call,
        CallIntent intent, TimeSpan? wait, Func<CallState, CallOutput?, object> view)
    {
        var ct = http.RequestAborted;

        var (located, locateError) = await pipeline.AskAsync<CallIndex>(new LocateCall(call.Id), ct);
        if (locateError is not null) return locateError;
        if (located is CallIndexUnavailable unavailable) return DirectoryUnavailable(unavailable);
        if (located is CallLocated { } where && where.Session != call.Session)
            return IdTaken(http, call.Id, where.Session);

        var (parentAgent, parentRefused) = await TeamParents.CheckAsync(http, pipeline, call);
        if (parentRefused is not null) return parentRefused;

        if (!ingress.TrySubmit(new SubmitCall(call, intent) { ParentAgent = parentAgent }, out var reply, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, $"too many calls queued for agent {call.Agent}; retry later");
        }
        object answer;
        try { answer = await reply; }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException or InvalidOperationException
                                       or Actors.Journal.JournalIntegrityException)
        {
            return HttpErrors.Unavailable($"the call pipeline did not answer: {e.Message}");
        }
        var (state, isNew) = answer switch
        {
            CallAccepted a => (a.State, true),
            CallAlreadyExists e => (e.State, false),
            _ => ((CallState?)null, false),
        };
        if (answer is SessionOwnedByAnotherAgent owned)
            return http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden,
                $"session {owned.Session} belongs to another agent; agent {call.Agent} cannot submit calls into it");
        if (answer is SessionParentRefused parentConflict) return Error(StatusCodes.Status409Conflict, parentConflict.Reason);
        if (state is not null && RefuseUnlessOwn(http, state) is { } notOwn) return notOwn;
        if (state is null)
            return answer switch
            {
                CallIdTaken taken => IdTaken(http, taken.CallId, taken.Holder),
                CallNotAccepted n => HttpErrors.Unavailable($"call {n.CallId} not accepted: {n.Reason}"),
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
        // A resubmission of a finished call (a client retrying after a crash) gets its recorded output too.
        if (!isNew && state.Finished is not null && output is null)
        {
            if ((await pipeline.AskAsync<SessionRouter>(new GetCall(call.Session, call.Id), ct)).Answer is CallSnapshot held) output = held.Output;
            output = await OutputOfAsync(http.RequestServices.GetRequiredService<ActorSystem>(), call.Session, state, output, ct);
        }
        http.Response.Headers.Location = $"/v1/calls/{Uri.EscapeDataString(call.Id.Value)}";
        var status = !isNew ? StatusCodes.Status200OK : state.IsTerminal ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
        return Results.Json(view(state, output), OrchestratorServer.Json, statusCode: status);
    }

    /// <summary>The run's output: as the session holds it, else as its end recorded it in the journal (an older call).</summary>
    private static async Task<CallOutput?> OutputOfAsync(ActorSystem system, SessionId session, CallState state, CallOutput? held, CancellationToken ct) =>
        held ?? (state.Finished is null ? null : await new CallHistoryReader(system).RecordedOutputAsync(session, state.CallId, ct));

    /// <summary>A recorded 403 unless the principal may read this call (its agent's own, or an operator).</summary>
    private static IResult? RefuseUnlessOwn(HttpContext http, CallState state) =>
        state.Call is { } call
            ? http.RefuseUnlessActingFor(call.Agent, RouteAction.ReadCall)
            : http.Principal().Role == Role.Agent ? Error(StatusCodes.Status404NotFound, $"no call {state.CallId}") : null;

    private static IResult IdTaken(HttpContext http, CallId id, SessionId holder) =>
        Error(StatusCodes.Status409Conflict, $"call id {id} is already used" +
            (http.Principal().Role == Role.Agent ? "" : $" in session {holder}") + "; call ids are unique across sessions");

    private static async Task<(SessionId Session, IResult? Error)> LocateAsync(HttpContext http, PipelineGateway pipeline, CallId id, CancellationToken ct)
    {
        var (answer, error) = await pipeline.AskAsync<CallIndex>(new LocateCall(id), ct);
        if (error is not null) return (default, error);
        return answer switch
        {
            CallLocated located => (located.Session, null),
            CallIndexUnavailable unavailable => (default, DirectoryUnavailable(unavailable)),
            _ => (default, Error(StatusCodes.Status404NotFound, $"no call {id}")),
        };
    }

    /// <summary>503 + Retry-After: the call directory could not be read (never a 404 for a journalled call).</summary>
    private static IResult DirectoryUnavailable(CallIndexUnavailable unavailable) =>
        HttpErrors.Unavailable($"call {unavailable.CallId} cannot be looked up now: {unavailable.Reason}; retry");
}
