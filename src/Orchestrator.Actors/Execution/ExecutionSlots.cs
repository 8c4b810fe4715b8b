using Akka.Actor;
using Orchestrator.Actors.Stages;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// <c>execution-slots</c>: the slots service. It owns the <see cref="SlotGate"/> that sessions consult synchronously
/// (a free slot is taken and given back without a message) and answers how the slots are used and whether the stage
/// is up. The gate outlives a restart of this actor, so no slot is lost or granted twice by one.
/// </summary>
public sealed class ExecutionSlots : GuardedStage
{
    public const string Name = "execution-slots";
    public const string StageName = "execution slots";

    public ExecutionSlots(SlotGate gate) : base(StageName)
    {
        Gate = gate;
        Receive<GetSlotUsage>(_ => Sender.Tell(gate.Usage()));
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public SlotGate Gate { get; }

    public static Props Props(SlotGate gate) => Akka.Actor.Props.Create(() => new ExecutionSlots(gate));
}
