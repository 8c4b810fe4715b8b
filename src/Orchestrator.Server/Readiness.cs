using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Shadow;
using Orchestrator.Actors.Stages;

namespace Orchestrator.Server;

/// <summary>
/// <c>GET /readyz</c>: asks every stage of the pipeline whether it can serve (policy, call index, sessions, approvals,
/// hooks, sandbox and shadow policy when configured, and the journal's recovery) at once, each bounded by
/// <see cref="StageTimeout"/>; ready only when all of them are. A stage that is restarting does not answer and is
/// named with the others that cannot serve.
/// </summary>
internal static class Readiness
{
    public static readonly TimeSpan StageTimeout = TimeSpan.FromSeconds(2);

    public static async Task<IResult> CheckAsync(ActorRegistry registry, ActorSystem system, CancellationToken ct)
    {
        var checks = new List<Task<StageStatus>>
        {
            Task.FromResult(JournalIntegrity.Get(system).DamagedLine is { } damaged ? new StageStatus("journal", false, damaged) : StageStatus.Up("journal")),
            Ask<PolicyActor>(registry, PolicyActor.StageName, required: true, ct),
            Ask<CallIndex>(registry, CallIndex.StageName, required: true, ct),
            Ask<SessionRouter>(registry, SessionRouter.StageName, required: true, ct),
            Ask<ApprovalBroker>(registry, ApprovalBroker.StageName, required: true, ct),
            Ask<HookActor>(registry, HookActor.StageName, required: false, ct),
            Ask<SandboxSupervisor>(registry, SandboxSupervisor.StageName, required: false, ct),
            Ask<ExecutionSlots>(registry, ExecutionSlots.StageName, required: false, ct),
            Ask<ShadowActor>(registry, ShadowActor.StageName, required: false, ct),
            RecoveryAsync(registry, ct),
        };
        var stages = (await Task.WhenAll(checks)).Where(s => s.Stage.Length > 0).ToList();
        var down = stages.Where(s => !s.Ready).ToList();
        var body = new
        {
            status = down.Count == 0 ? "ready" : "not ready",
            error = down.Count == 0 ? null : "stages that cannot serve: " + string.Join("; ", down.Select(s => $"{s.Stage}: {s.Problem}")),
            stages = stages.Select(s => new { stage = s.Stage, ready = s.Ready, problem = s.Problem }),
        };
        return Results.Json(body, OrchestratorServer.Json,
            statusCode: down.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<StageStatus> Ask<TActor>(ActorRegistry registry, string stage, bool required, CancellationToken ct)
    {
        if (!registry.TryGet<TActor>(out var actor))
            return required ? new StageStatus(stage, false, "not started yet") : new StageStatus("", true);
        try
        {
            return await actor.Ask<object>(GetStageStatus.Instance, StageTimeout, ct) switch
            {
                StageStatus status => status,
                var other => new StageStatus(stage, false, $"unexpected answer {other.GetType().Name}"),
            };
        }
        catch (AskTimeoutException)
        {
            return new StageStatus(stage, false, $"did not answer within {StageTimeout.TotalSeconds:0} s (restarting or overloaded)");
        }
    }

    private static async Task<StageStatus> RecoveryAsync(ActorRegistry registry, CancellationToken ct)
    {
        const string Stage = "journal recovery";
        if (!registry.TryGet<SessionRecovery>(out var recovery)) return new StageStatus(Stage, false, "not started yet");
        try
        {
            return await recovery.Ask<object>(GetRecoveryStatus.Instance, StageTimeout, ct) switch
            {
                RecoveryStatus { Done: true, Failure: null } => StageStatus.Up(Stage),
                RecoveryStatus { Failure: { } failure } => new StageStatus(Stage, false, failure),
                RecoveryStatus status => new StageStatus(Stage, false, $"recovering: {status.Recovered} of {status.Sessions} sessions"),
                var other => new StageStatus(Stage, false, $"unexpected answer {other.GetType().Name}"),
            };
        }
        catch (AskTimeoutException)
        {
            return new StageStatus(Stage, false, $"did not answer within {StageTimeout.TotalSeconds:0} s");
        }
    }
}
