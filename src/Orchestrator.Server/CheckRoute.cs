using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Checking;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Core.Access;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// <c>POST /v1/check</c>: a decide-only call. By default it is submitted like any call (the same <see cref="SubmitCall"/>
/// with intent decide-only, through the fair ingress to its session: policy, hooks, grants) and recorded — its call
/// id, agent and session are in the answer, its events in the history (outcome decided-only). <c>"record": false</c>
/// judges it with the same <see cref="Core.Lifecycle.CallPipeline"/> and the server's workspace policies without recording it, and is for operators and admins only: an agent asking for it
/// is refused (403, recorded), so no agent can probe the policy unrecorded.
/// </summary>
internal static class CheckRoute
{
    /// <summary>How long a check waits for its decision when the request gives no <c>wait</c> (hooks may take a while).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    public static async Task<IResult> Handle(HttpContext http, Ingress ingress, PipelineGateway pipeline)
    {
        var principal = http.Principal();
        var (request, error) = await CallRequestReader.ReadAsync(http, requireIds: false,
            principal is { Role: Role.Agent, Agent: { } bound } ? bound : null);
        if (error is not null) return error;
        if (http.RefuseUnlessActingFor(request!.Call.Agent, RouteAction.CheckCall) is { } refused) return refused;
        var call = request.Call with { SubmittedBy = principal.SubmitterName };
        if (!request.Record)
        {
            if (principal.Role < Role.Operator)
                return http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden,
                    $"{principal.Name} is an {principal.Role.Name()}; an unrecorded check (record: false) needs an operator — an agent's checks are recorded");
            return await UnrecordedAsync(http, call);
        }
        return await CallRoutes.SubmitAsync(http, ingress, pipeline, call, CallIntent.DecideOnly, request.Wait ?? DefaultWait,
            (state, _) => CheckView.FromRecorded(state) is { } view ? view : CallView.From(state));
    }

    private static async Task<IResult> UnrecordedAsync(HttpContext http, Core.Calls.ToolCall call)
    {
        var registry = http.RequestServices.GetRequiredService<ActorRegistry>();
        var options = http.RequestServices.GetRequiredService<ServerOptions>();
        var policies = http.RequestServices.GetRequiredService<PolicyCatalog>();
        if (!registry.TryGet<ApprovalBroker>(out var approvals)) return NotReady("the call pipeline");
        try
        {
            var checkedCall = await UnrecordedDecision.DecideAsync(call, policies.For(call.Workspace ?? policies.DefaultWorkspace),
                async (c, ct) => (await approvals.Ask<GrantLookup>(new FindGrant(c, Decision.Ask), options.AskTimeout, ct)).Grant?.Id,
                http.RequestAborted);
            return Results.Json(CheckView.FromUnrecorded(checkedCall), OrchestratorServer.Json);
        }
        catch (AskTimeoutException)
        {
            return HttpErrors.Unavailable("the approval broker did not answer in time; /readyz names the stages that cannot serve");
        }
        catch (InvalidOperationException e)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"the call could not be decided: {e.Message}");
        }
    }
}
