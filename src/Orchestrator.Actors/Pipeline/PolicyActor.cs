using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.Policies;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// <c>policy</c>: answers <see cref="EvaluateCall"/> inline (evaluation is pure and fast) with the evaluator of the
/// call's workspace in the <see cref="PolicyCatalog"/> (the default workspace when the call names none); the answer
/// carries that workspace's policy, from which the call's sandbox profile is built. A workspace's policy judges
/// nothing before its <c>PolicyLoaded</c> is durable (each workspace's <see cref="PolicyRecorder"/>), so the version in
/// every recorded verdict names a recorded policy. Settings files are watched (and compared by content every
/// <see cref="PipelineOptions.PolicyRecheckInterval"/>, since watchers miss events); a change builds and records a new
/// snapshot, which judges the calls not yet decided; a file that fails to parse fails closed and is logged with
/// file:line:column. Each recorded policy is also published on the event stream.
/// </summary>
public sealed class PolicyActor : GuardedStage, IWithTimers
{
    public const string Name = "policy";
    public const string StageName = "policy";

    private readonly PolicyCatalog _policies;
    private readonly PolicyWatchers _watchers;
    private readonly Dictionary<string, string> _recorded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _recording = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(IActorRef ReplyTo, EvaluateCall Call)>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _recorders = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly JudgingPolicies? _judging;

    public ITimerScheduler Timers { get; set; } = null!;

    public PolicyActor(PolicyCatalog policies, TimeSpan? recheckInterval = null, JudgingPolicies? judging = null) : base(StageName)
    {
        _policies = policies;
        _judging = judging;
        var self = Self;
        _watchers = new PolicyWatchers(() => self.Tell(PolicyFilesTouched.Instance), e => _log.Warning("policy: {0}", e));
        Receive<EvaluateCall>(msg =>
        {
            var policy = _policies.For(msg.Call.Workspace ?? _policies.DefaultWorkspace);
            if (_recorded.GetValueOrDefault(policy.Workspace) == policy.Version) Answer(Sender, msg, policy);
            else Wait(policy, Sender, msg);
        });
        Receive<PolicyRecorded>(Recorded);
        Receive<PolicyFilesTouched>(_ => Timers.StartSingleTimer(PolicyFilesTouched.Instance, RecheckPolicies.Instance, TimeSpan.FromMilliseconds(50)));
        Receive<RecheckPolicies>(_ => Recheck());
        Receive<Terminated>(RecorderStopped);
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        if (recheckInterval is { } interval) Timers.StartPeriodicTimer(RecheckPolicies.Instance, RecheckPolicies.Instance, interval);
    }

    protected override void PreStart()
    {
        foreach (var loaded in _policies.Loaded) Record(loaded);
        _watchers.Watch(_policies.Loaded);
    }

    protected override void PostStop() => _watchers.Dispose();

    /// <param name="judging">Kept current here (recorded policies only) for sessions that judge calls themselves.</param>
    public static Props Props(PolicyCatalog policies, TimeSpan? recheckInterval = null, JudgingPolicies? judging = null) =>
        Akka.Actor.Props.Create(() => new PolicyActor(policies, recheckInterval, judging));

    /// <summary>One workspace with a snapshot built by hand.</summary>
    public static Props Props(PolicySnapshot snapshot) => Props(PolicyCatalog.Of(snapshot));

    private static void Answer(IActorRef replyTo, EvaluateCall msg, WorkspacePolicy policy) =>
        replyTo.Tell(new CallEvaluated(msg.Call.Id, policy.Evaluator.Evaluate(msg.Call, msg.Sandboxed)) { Policy = policy });

    private void Wait(WorkspacePolicy policy, IActorRef replyTo, EvaluateCall msg)
    {
        if (!_waiting.TryGetValue(policy.Workspace, out var waiting)) _waiting[policy.Workspace] = waiting = [];
        waiting.Add((replyTo, msg));
        Record(policy);
    }

    private void Record(WorkspacePolicy policy)
    {
        if (_recording.GetValueOrDefault(policy.Workspace) == policy.Version) return;
        _recording[policy.Workspace] = policy.Version;
        if (!_recorders.TryGetValue(policy.Workspace, out var recorder))
        {
            recorder = Context.ActorOf(PolicyRecorder.Props(policy.Workspace), "record-" + PolicyRecorder.PersistenceIdFor(policy.Workspace)[PolicyRecorder.PersistenceIdPrefix.Length..]);
            Context.Watch(recorder);
            _recorders[policy.Workspace] = recorder;
        }
        recorder.Tell(new RecordPolicy(policy.Loaded));
    }

    private void Recorded(PolicyRecorded msg)
    {
        var first = !_recorded.ContainsKey(msg.Workspace);
        _recorded[msg.Workspace] = msg.Version;
        // A workspace loaded on its first call is watched from then on.
        if (first) _watchers.Watch(_policies.Loaded);
        var current = _policies.For(msg.Workspace);
        if (current.Version == msg.Version)
        {
            _judging?.Judges(current);
            Context.System.EventStream.Publish(current.Loaded);
        }
        if (!_waiting.Remove(msg.Workspace, out var waiting)) return;
        // Handled again one by one (each under the poison guard, answering its own sender).
        foreach (var (replyTo, call) in waiting) Self.Tell(call, replyTo);
    }

    private void Recheck()
    {
        var changed = _policies.Refresh();
        foreach (var policy in changed)
        {
            if (policy.Snapshot.FailedClosed)
                foreach (var error in policy.Snapshot.Errors)
                    _log.Warning("policy of {0}: {1} (failing closed: managed rules only, the rest denied)", policy.Workspace, error);
            else _log.Info("policy of {0} reloaded: version {1}", policy.Workspace, policy.Version);
            // Calls not yet judged wait here for the new policy's record, as they did before sessions judged alone.
            _judging?.Withdraw(policy.Workspace);
            Record(policy);
        }
        if (changed.Count > 0) _watchers.Watch(_policies.Loaded);
    }

    /// <summary>A recorder stops when the journal refuses a write: its waiting calls are refused (fail closed), and the next one tries again.</summary>
    private void RecorderStopped(Terminated msg)
    {
        var workspace = _recorders.FirstOrDefault(r => r.Value.Equals(msg.ActorRef)).Key;
        if (workspace is null) return;
        _recorders.Remove(workspace);
        _recording.Remove(workspace);
        _judging?.Withdraw(workspace);
        if (!_waiting.Remove(workspace, out var waiting)) return;
        foreach (var (replyTo, call) in waiting)
            replyTo.Tell(new StageRefused(StageName, $"the policy of {workspace} could not be recorded in the journal") { CallId = call.ScopedCallId });
    }

    private sealed class PolicyFilesTouched
    {
        public static readonly PolicyFilesTouched Instance = new();
    }

    private sealed class RecheckPolicies
    {
        public static readonly RecheckPolicies Instance = new();
    }
}
