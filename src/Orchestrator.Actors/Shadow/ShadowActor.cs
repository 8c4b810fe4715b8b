using Akka.Hosting;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.Shadow;

/// <summary>
/// <c>shadow</c> (persistence id <c>shadow</c>): <c>serve --shadow-policy</c>. Follows the journal, judges each newly
/// recorded decision again against the candidate (added as the command-line layer on top of the call's recorded layers)
/// with the same <see cref="WhatIfReplay"/> a what-if replay uses, and records a <see cref="ShadowDisagreed"/> where the
/// verdicts differ. It reads what the sessions already recorded, off their path: the enforced verdict is never touched
/// and never waits for it. How far it has judged is recorded too (<see cref="ShadowFollowed"/>: the position and the
/// calls received by then but not yet decided), with the disagreements it found up to there in the same write, and
/// now and then while nothing disagrees; a restart goes on from the last one, so every decision is judged exactly once
/// — also one recorded while the shadow was behind or down, and one whose call was received before the restart. Its
/// first start ever begins at the journal's end: the candidate judges live traffic, not the past (that is replay's).
/// It is a readiness stage (<see cref="StageName"/>): not ready until it knows where it begins, so every call submitted
/// once the server is ready is judged.
/// </summary>
public sealed class ShadowActor : VerifiedPersistentActor, IWithTimers
{
    public const string Name = "shadow";
    public const string StageName = "shadow policy";

    private readonly ReplayPolicy _candidate;
    private readonly string _candidateName;
    private readonly TimeSpan _interval;
    private readonly Dictionary<string, CallReceived> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ActorSystem _system = Context.System;
    private JournalHistory? _history;
    private long _position = -1;
    private ShadowFollowed? _resume;
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.MinValue;

    public ITimerScheduler Timers { get; set; } = null!;

    public ShadowActor(ReplayPolicy candidate, string candidateName, TimeSpan interval)
    {
        _candidate = candidate;
        _candidateName = candidateName;
        _interval = interval;
        // Only the last checkpoint matters: past disagreements need no state, nothing grows with their number.
        Recover<ShadowDisagreed>(_ => { });
        Recover<ShadowFollowed>(f => _resume = f);
        Command<Follow>(_ => FollowAsync().PipeTo(Self));
        Command<Followed>(Record);
        Command<GetStageStatus>(_ => Sender.Tell(_position >= 0 ? StageStatus.Up(StageName) : new StageStatus(StageName, false, "finding where in the journal to begin")));
        Command<Status.Failure>(f =>
        {
            _log.Warning("shadow policy: reading the journal failed ({0}); trying again", f.Cause.Message);
            Timers.StartSingleTimer(Follow.Instance, Follow.Instance, _interval);
        });
    }

    public override string PersistenceId => Name;

    public static Props Props(ReplayPolicy candidate, string candidateName, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new ShadowActor(candidate, candidateName, interval));

    protected override void OnReplaySuccess() => Self.Tell(Follow.Instance);

    protected override void PostStop()
    {
        _history?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        base.PostStop();
    }

    /// <summary>How often a checkpoint is written while the journal moves and the candidate agrees (it bounds a restart's re-reading only).</summary>
    internal static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(30);

    private async Task<Followed> FollowAsync()
    {
        _history ??= new JournalHistory(_system);
        if (_position < 0) return await StartAsync();
        var policies = await _history.PoliciesAsync();
        var replay = new WhatIfReplay(_candidate, version => policies.GetValueOrDefault(version));
        var found = new List<ShadowDisagreed>();
        var position = _position;
        await foreach (var (at, decision) in _history.DecisionsAsync(_position, null, null, null, _pending))
        {
            position = at;
            var outcome = replay.Replay(decision);
            if (!outcome.Changed) continue;
            found.Add(new ShadowDisagreed(decision.CallId, decision.Agent, decision.Tool, outcome.Before.Decision, outcome.After!.Decision,
                ReplayReportBuilder.RuleOf(outcome.Before, outcome.After), outcome.After.Reason, _candidateName, DateTimeOffset.UtcNow));
        }
        return new Followed(position, found, Started: false);
    }

    /// <summary>
    /// Where to begin: after the last checkpoint, with the receipts of the calls it left waiting read back from the
    /// journal; on the very first start, at the journal's end (recorded at once, so a crash before anything else is
    /// judged loses nothing recorded after it).
    /// </summary>
    private async Task<Followed> StartAsync()
    {
        if (_resume is null) return new Followed(await _history!.EndAsync(), [], Started: true);
        var reader = new CallHistoryReader(_system);
        foreach (var id in _resume.Waiting)
        {
            var call = new Core.Calls.CallId(id);
            var place = await CallDirectory.Get(_system).FindAsync(call);
            var received = place is null ? null : (await reader.EventsOfAsync(place.Session, call)).Select(e => e.Event).OfType<CallReceived>().FirstOrDefault();
            if (received is null) _log.Warning("shadow policy: call {0} was waiting for its decision but its receipt is not in the journal; it is not judged", id);
            else _pending[id] = received;
        }
        return new Followed(_resume.Position, [], Started: true);
    }

    private void Record(Followed followed)
    {
        var moved = followed.Position > _position;
        _position = Math.Max(_position, followed.Position);
        var now = DateTimeOffset.UtcNow;
        // A checkpoint goes with every disagreement (one write: judged and recorded together, or neither), at the first
        // start, and now and then while the journal moves; in between a restart re-reads decisions that agreed.
        var checkpoint = followed.Disagreements.Count > 0 || (followed.Started && _resume is null) || (moved && now - _lastCheckpoint >= CheckpointEvery);
        if (!checkpoint)
        {
            Timers.StartSingleTimer(Follow.Instance, Follow.Instance, _interval);
            return;
        }
        _lastCheckpoint = now;
        _resume = new ShadowFollowed(_position, [.. _pending.Keys.Order(StringComparer.Ordinal)], now);
        PersistAll(followed.Disagreements.Cast<HistoryEvent>().Append(_resume), _ => { });
        DeferAsync(followed, _ => Timers.StartSingleTimer(Follow.Instance, Follow.Instance, _interval));
    }

    private sealed class Follow
    {
        public static readonly Follow Instance = new();
    }

    private sealed record Followed(long Position, IReadOnlyList<ShadowDisagreed> Disagreements, bool Started);
}

/// <summary>Akka.Hosting: starts the <see cref="ShadowActor"/> when a candidate is given.</summary>
public static class ShadowHostingExtensions
{
    public static AkkaConfigurationBuilder WithShadowPolicy(this AkkaConfigurationBuilder builder,
        ReplayPolicy? candidate, string? candidateName, TimeSpan interval) =>
        candidate is null ? builder : builder.WithActors((system, registry) =>
            registry.Register<ShadowActor>(system.ActorOf(ShadowActor.Props(candidate, candidateName ?? "", interval), ShadowActor.Name)));
}
