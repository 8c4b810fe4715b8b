using Akka.Actor;
using Akka.Hosting;
using Akka.Pattern;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Hooks;
using Orchestrator.Sandbox;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// <c>/user/orchestrator</c>: owns the pipeline's actors (policy, call index, approvals, sessions, recovery, hooks,
/// sandbox), restarts a failing child as often as it fails (input never stops a stage for good; the stages refuse a
/// poison message themselves, see <see cref="Stages.PoisonGuard"/>), and registers them in the <see cref="ActorRegistry"/>.
/// The approval broker, which rebuilds its index from the journal on every start, restarts under a backoff
/// supervisor so a journal it cannot read is retried without spinning.
/// </summary>
public sealed class OrchestratorSupervisor : ReceiveActor
{
    public const string Name = "orchestrator";

    public OrchestratorSupervisor(PolicyCatalog policies, PipelineOptions options, IActorRegistry? registry)
    {
        var judging = new JudgingPolicies(policies.DefaultWorkspace);
        var policy = Context.ActorOf(PolicyActor.Props(policies, options.PolicyRecheckInterval, judging), PolicyActor.Name);
        // Incomplete until the recorded ids are known (the directory's, or the recovered sessions'); made here so it outlives the index.
        var directory = options.CallDirectory ?? CallDirectory.Get(Context.System);
        var callIds = new CallIdTable(complete: false);
        // Work that may wait (the filter of recorded ids, the journal file's check) starts once the server is ready:
        // start-up recovery has ended and the approval broker has read its index.
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var brokerLoaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Task.WhenAll(recovered.Task, brokerLoaded.Task);
        if (directory is CallDirectory journalDirectory) started.ContinueWith(_ => journalDirectory.CheckFile(), TaskScheduler.Default);
        var index = Context.ActorOf(CallIndex.Props(callIds, directory, started), CallIndex.Name);
        var alwaysRules = options.WriteAlwaysRules ? Context.ActorOf(AlwaysRuleWriter.Props(policies.DefaultWorkspace), AlwaysRuleWriter.Name) : null;
        // Answers reach sessions through this supervisor, which forwards every ISessionMessage.
        var approvals = Context.ActorOf(BackoffSupervisor.Props(
            Backoff.OnFailure(ApprovalBroker.Props(Self, options.Clock, loaded: brokerLoaded, alwaysRules: alwaysRules,
                    notifier: options.ApprovalNotifier), ApprovalBroker.Name, options.StageRestartBackoff,
                    TimeSpan.FromSeconds(30), randomFactor: 0.2, maxNrOfRetries: -1)
                .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart))), ApprovalBroker.Name);
        var (executionServices, slots) = StartExecution(policies, options);
        var services = new SessionServices(policy, approvals, index, options)
        {
            CallIds = callIds,
            Policies = judging,
            CallDirectory = directory,
            Execution = executionServices,
            Hooks = StartHooks(options),
        };
        var sessions = Context.ActorOf(SessionRouter.Props(services), SessionRouter.Name);
        var recovery = Context.ActorOf(SessionRecovery.Props(sessions, directory, options.RecoveryParallelism, options.RecoveryGate, recovered), SessionRecovery.Name);
        if (registry is not null)
        {
            Publish<PolicyActor>(registry, policy);
            Publish<CallIndex>(registry, index);
            Publish<ApprovalBroker>(registry, approvals);
            Publish<SessionRouter>(registry, sessions);
            Publish<SessionRecovery>(registry, recovery);
            if (services.Hooks is { } hooks) Publish<HookActor>(registry, hooks.Runner);
            if (services.Execution is { } execution) Publish<SandboxSupervisor>(registry, execution.Sandbox);
            if (slots is not null) Publish<ExecutionSlots>(registry, slots);
        }
        Receive<ISessionMessage>(msg => sessions.Forward(msg));
        Receive<EvaluateCall>(msg => policy.Forward(msg));
    }

    /// <summary>The sandbox supervisor and the slots service; their gate (shared with the sessions) is made here, so it outlives their restarts.</summary>
    private static (ExecutionServices? Services, IActorRef? Slots) StartExecution(PolicyCatalog policies, PipelineOptions options)
    {
        if (!options.Execute) return (null, null);
        var sandboxFor = options.SandboxFor ?? (_ => PlatformSandbox.ForThisMachine());
        var workers = new WorkerDirectory();
        var sandbox = Context.ActorOf(SandboxSupervisor.Props(sandboxFor, directory: workers), SandboxSupervisor.Name);
        var gate = new SlotGate(options.MaxRuns, options.MaxRunsPerAgent);
        var slots = Context.ActorOf(ExecutionSlots.Props(gate), ExecutionSlots.Name);
        return (new ExecutionServices(sandbox, policies.Default.Snapshot, sandboxFor(WorkerKinds.ForThisMachine()[0])) { Slots = gate, Workers = workers, Tools = options.Tools ?? Sandbox.Tools.ToolExecutors.Standard }, slots);
    }

    /// <summary>Always started: any workspace may configure hooks, now or after a reload of its settings.</summary>
    private static HookServices StartHooks(PipelineOptions options) =>
        new(Context.ActorOf(HookActor.Props(options.HookRunner ?? new ShellHookProcessRunner()), HookActor.Name));

    /// <summary>Register (which wakes GetAsync waiters) the first time; overwrite after a restart of this actor.</summary>
    private static void Publish<TKey>(IActorRegistry registry, IActorRef actor)
    {
        if (registry.TryGet<TKey>(out _)) registry.TryRegister<TKey>(actor, overwrite: true);
        else registry.Register<TKey>(actor);
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);

    public static Props Props(PolicyCatalog policies, PipelineOptions options, IActorRegistry? registry = null) =>
        Akka.Actor.Props.Create(() => new OrchestratorSupervisor(policies, options, registry));
}
