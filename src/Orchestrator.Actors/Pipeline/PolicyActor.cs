using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Answers <see cref="EvaluateCall"/> inline (evaluation is pure and fast) with the evaluator of the call's workspace
/// in the <see cref="PolicyCatalog"/> (the default workspace when the call names none); the answer carries that
/// workspace's policy, from which the call's sandbox profile is built.
/// </summary>
public sealed class PolicyActor : ReceiveActor
{
    public const string Name = "policy";

    public PolicyActor(PolicyCatalog policies)
    {
        Receive<EvaluateCall>(msg =>
        {
            var policy = policies.For(msg.Call.Workspace ?? policies.DefaultWorkspace);
            Sender.Tell(new CallEvaluated(msg.Call.Id, policy.Evaluator.Evaluate(msg.Call, msg.Sandboxed)) { Policy = policy });
        });
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public const string StageName = "policy";

    protected override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(StageName, () => base.AroundReceive(receive, message), message, Sender, Context);

    public static Props Props(PolicyCatalog policies) => Akka.Actor.Props.Create(() => new PolicyActor(policies));

    /// <summary>One workspace with a snapshot built by hand.</summary>
    public static Props Props(PolicySnapshot snapshot) => Props(PolicyCatalog.Of(snapshot));
}
