using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// The operator's side: <c>GET /v1/approvals</c> (pending, earliest deadline first, paged: <see cref="ApprovalListQuery"/>), <c>POST /v1/approvals/{id}</c>
/// (200 recorded; 409 duplicate, stale or expired, with the decision that stands; 404 never issued),
/// <c>GET /v1/grants</c>, <c>DELETE /v1/grants/{id}</c>. Who answers or revokes is the authenticated principal: a
/// client's <c>answeredBy</c> naming anyone else is refused (403), and the submitter of a call cannot approve it (403).
/// </summary>
internal static class ApprovalRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/approvals", async (HttpContext http, PipelineGateway pipeline, CancellationToken ct) =>
        {
            var (query, invalid) = ApprovalListQuery.Parse(name => http.Request.Query[name].FirstOrDefault());
            if (invalid is not null) return Error(StatusCodes.Status400BadRequest, invalid);
            var (answer, error) = await pipeline.AskAsync<ApprovalBroker>(new ListApprovals(query!), ct);
            return error ?? (answer is ApprovalPage page ? Results.Json(ApprovalView.PageOf(page), OrchestratorServer.Json) : Unexpected(answer!));
        });

        app.MapPost("/v1/approvals/{id}", async (string id, HttpContext http, PipelineGateway pipeline) =>
        {
            if (InvalidId("approval id", id) is { } badId) return badId;
            var (request, error) = await ReadJsonAsync<AnswerRequest>(http);
            if (error is not null) return error;
            var principal = http.Principal();
            if (request!.AnsweredBy is { } claimed && claimed != principal.Name)
                return http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden,
                    $"answeredBy is the authenticated identity ({principal.Name}), never a name the client chooses ('{HostCheck.Printable(claimed)}')");
            var (answer, invalid) = ToAnswer(new ApprovalId(id), request, principal.Name);
            if (invalid is not null) return invalid;
            var (reply, askError) = await pipeline.AskAsync<ApprovalBroker>(new SubmitApprovalAnswer(answer!), http.RequestAborted);
            return askError ?? reply switch
            {
                ApprovalAnswerAccepted accepted => Results.Json(new
                {
                    answer = accepted.State.Answer is { } a ? AnswerView.From(a) : null,
                    call = CallView.From(accepted.State),
                }, OrchestratorServer.Json),
                ApprovalAnswerRejected { Rejection.Code: RejectionCode.SubmitterCannotApprove } rejected =>
                    http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden, rejected.Rejection.Message),
                ApprovalAnswerRejected rejected => Conflict(rejected.Rejection),
                ApprovalNotFound => Error(StatusCodes.Status404NotFound, $"no approval {id} was ever requested"),
                ApprovalIndexUnavailable unavailable => HttpErrors.Unavailable(unavailable.Reason),
                CallNotFound => Error(StatusCodes.Status404NotFound, $"the call of approval {id} is not known"),
                _ => Unexpected(reply!),
            };
        });

        app.MapGet("/v1/grants", async (PipelineGateway pipeline, CancellationToken ct) =>
        {
            var (answer, error) = await pipeline.AskAsync<ApprovalBroker>(new ListGrants(), ct);
            return error ?? (answer is CurrentGrants grants
                ? Results.Json(new { grants = grants.Grants.Select(GrantView.From) }, OrchestratorServer.Json)
                : Unexpected(answer!));
        });

        app.MapDelete("/v1/grants/{id}", async (string id, string? reason, HttpContext http, PipelineGateway pipeline, CancellationToken ct) =>
        {
            if (InvalidId("grant id", id) is { } invalid) return invalid;
            var (answer, error) = await pipeline.AskAsync<ApprovalBroker>(new RevokeGrant(new GrantId(id), http.Principal().Name, reason), ct);
            return error ?? answer switch
            {
                GrantRevocationAnswered { Revoked: not null } => Results.Json(new { revoked = id }, OrchestratorServer.Json),
                GrantRevocationAnswered r => Error(StatusCodes.Status404NotFound, r.Rejection ?? $"no live grant {id}"),
                _ => Unexpected(answer!),
            };
        });
    }

    private static (ApprovalAnswer? Answer, IResult? Error) ToAnswer(ApprovalId id, AnswerRequest request, string by)
    {
        bool approved;
        switch (request.Decision)
        {
            case "approve": approved = true; break;
            case "deny": approved = false; break;
            default: return (null, Error(StatusCodes.Status400BadRequest, $"decision must be 'approve' or 'deny', not '{request.Decision}'"));
        }
        GrantScope scope;
        switch (request.Scope)
        {
            case null or "once": scope = GrantScope.Once; break;
            case "session": scope = GrantScope.Session; break;
            case "always": scope = GrantScope.Always; break;
            case "team": scope = GrantScope.Team; break;
            default: return (null, Error(StatusCodes.Status400BadRequest, $"scope must be 'once', 'session', 'always' or 'team', not '{request.Scope}'"));
        }
        if (request.Reason is { Length: > 2000 })
            return (null, Error(StatusCodes.Status400BadRequest, "reason is limited to 2000 characters"));
        return (new ApprovalAnswer(id, approved, scope, request.Reason, by), null);
    }

    private static IResult Conflict(Rejection rejection)
    {
        var status = rejection.Code is RejectionCode.UnknownApproval ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
        return Results.Json(new AnswerConflictBody(rejection.Message, Names.Of(rejection.Code),
            rejection.FirstAnswer is { } first ? AnswerView.From(first) : null, rejection.TimedOut?.TimedOutAt), OrchestratorServer.Json, statusCode: status);
    }
}
