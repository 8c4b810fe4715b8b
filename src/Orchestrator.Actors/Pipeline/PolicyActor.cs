using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Holds the evaluator of the current <see cref="PolicySnapshot"/> and answers <see cref="EvaluateCall"/> inline (evaluation is pure and fast).</summary>
public sealed class PolicyActor : ReceiveActor
{
    public const string Name = "policy";

    public PolicyActor(PolicySnapshot snapshot)
    {
        var evaluator = new PolicyEvaluator(snapshot);
        Receive<EvaluateCall>(msg => Sender.Tell(new CallEvaluated(msg.Call.Id, evaluator.Evaluate(msg.Call, msg.Sandboxed))));
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public const string StageName = "policy";

    protected override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(StageName, () => base.AroundReceive(receive, message), message, Sender, Context);

    public static Props Props(PolicySnapshot snapshot) => Akka.Actor.Props.Create(() => new PolicyActor(snapshot));
}
