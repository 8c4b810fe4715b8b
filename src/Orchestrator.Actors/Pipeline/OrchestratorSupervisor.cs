using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// <c>/user/orchestrator</c>: owns the policy actor and the sessions, restarts a failing child (never the system),
/// and registers the children in the <see cref="ActorRegistry"/> under <see cref="PolicyActor"/> and <see cref="SessionRouter"/>.
/// </summary>
public sealed class OrchestratorSupervisor : ReceiveActor
{
    public const string Name = "orchestrator";

    public OrchestratorSupervisor(PolicySnapshot snapshot, AutomaticApprover? approver, IActorRegistry? registry)
    {
        var policy = Context.ActorOf(PolicyActor.Props(snapshot), PolicyActor.Name);
        var sessions = Context.ActorOf(SessionRouter.Props(policy, approver), SessionRouter.Name);
        if (registry is not null)
        {
            Publish<PolicyActor>(registry, policy);
            Publish<SessionRouter>(registry, sessions);
        }
        Receive<ISessionMessage>(msg => sessions.Forward(msg));
        Receive<EvaluateCall>(msg => policy.Forward(msg));
    }

    /// <summary>Register (which wakes GetAsync waiters) the first time; overwrite after a restart of this actor.</summary>
    private static void Publish<TKey>(IActorRegistry registry, IActorRef actor)
    {
        if (registry.TryGet<TKey>(out _)) registry.TryRegister<TKey>(actor, overwrite: true);
        else registry.Register<TKey>(actor);
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    public static Props Props(PolicySnapshot snapshot, AutomaticApprover? approver, IActorRegistry? registry = null) =>
        Akka.Actor.Props.Create(() => new OrchestratorSupervisor(snapshot, approver, registry));
}
