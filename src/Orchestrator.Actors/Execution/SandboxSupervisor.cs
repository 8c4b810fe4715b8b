using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Orchestrator.Actors.Stages;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Owns one <see cref="ExecutionWorker"/> per worker kind, each under its own backoff supervisor so a crashing worker
/// is restarted (100 ms doubling to 10 s) without touching the others, and routes each <see cref="ExecuteCall"/> to the
/// worker its plan names. Sessions send a run straight to the running worker (<see cref="WorkerDirectory"/>); this
/// route is for everyone else and for the moments no worker of the kind is running. A call that reaches a worker which is stopping or not yet restarted lands in dead letters;
/// the supervisor watches those and sends the call again after a pause (it was never started, so this is safe), and
/// after <see cref="MaxRedeliveries"/> answers the requester that it was not started — no call goes unanswered.
/// </summary>
public sealed class SandboxSupervisor : GuardedStage
{
    public const string Name = "sandbox";
    public const string WorkerChildName = "worker";
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    /// <summary>Redeliveries of a call that found its worker restarting (pauses of 100 ms doubling to 3.2 s: ~6 s in all).</summary>
    public const int MaxRedeliveries = 6;

    private readonly Dictionary<WorkerKind, IActorRef> _workers = [];

    public SandboxSupervisor(Func<WorkerKind, ICommandSandbox> sandboxFor, IReadOnlyList<WorkerKind> kinds, WorkerDirectory directory) : base(StageName)
    {
        foreach (var kind in kinds.Distinct())
        {
            var options = Backoff.OnFailure(ExecutionWorker.Props(kind, sandboxFor, directory), WorkerChildName, MinBackoff, MaxBackoff, randomFactor: 0.2, maxNrOfRetries: -1)
                // Restart on every failure, construction included: a worker that cannot start now may start later.
                .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart));
            _workers[kind] = Context.ActorOf(BackoffSupervisor.Props(options), kind.ActorName());
        }

        Receive<ExecuteCall>(Route);
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        Receive<DeadLetter>(letter => letter.Message is RunOnWorker run && run.Supervisor.Equals(Self), Unanswered);
        Receive<DeadLetter>(_ => { });
    }

    public const string StageName = "sandbox";

    /// <summary>The supervisor with the workers of this machine, running the platform sandbox.</summary>
    public static Props Props() => Props(_ => PlatformSandbox.ForThisMachine());

    /// <summary>
    /// The supervisor with the workers of this machine (or <paramref name="kinds"/>), running sandboxes from
    /// <paramref name="sandboxFor"/>; its workers enter <paramref name="directory"/> while they run.
    /// </summary>
    public static Props Props(Func<WorkerKind, ICommandSandbox> sandboxFor, IReadOnlyList<WorkerKind>? kinds = null, WorkerDirectory? directory = null)
    {
        var workerKinds = kinds ?? WorkerKinds.ForThisMachine();
        var workers = directory ?? new WorkerDirectory();
        return Akka.Actor.Props.Create(() => new SandboxSupervisor(sandboxFor, workerKinds, workers));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self, typeof(DeadLetter));

    private void Route(ExecuteCall call)
    {
        if (_workers.TryGetValue(call.Plan.Worker, out var worker))
            worker.Tell(new RunOnWorker(call, Sender, Self));
        else
            Sender.Tell(new CallExecutionFailed(call.CallId, $"no {call.Plan.Worker.ActorName()} execution worker on this machine", ProcessMayHaveStarted: false));
    }

    private void Unanswered(DeadLetter letter)
    {
        var run = (RunOnWorker)letter.Message;
        if (run.Attempt < MaxRedeliveries && _workers.TryGetValue(run.Call.Plan.Worker, out var worker))
        {
            var pause = MinBackoff * Math.Pow(2, run.Attempt);
            Context.System.Scheduler.ScheduleTellOnce(pause, worker, run with { Attempt = run.Attempt + 1 }, ActorRefs.NoSender);
            return;
        }
        run.Requester.Tell(new CallExecutionFailed(run.Call.CallId,
            $"the {run.Call.Plan.Worker.ActorName()} execution worker is restarting after a crash; the call was not started",
            ProcessMayHaveStarted: false));
    }
}
