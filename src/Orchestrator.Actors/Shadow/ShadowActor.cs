using Akka.Hosting;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.Shadow;

/// <summary>
/// <c>shadow</c> (persistence id <c>shadow</c>): <c>serve --shadow-policy</c>. Follows the journal from where it stood
/// when the actor started, judges each newly recorded decision again against the candidate (added as the command-line
/// layer on top of the call's recorded layers) with the same <see cref="WhatIfReplay"/> a what-if replay uses, and
/// records a <see cref="ShadowDisagreed"/> where the verdicts differ. It reads what the sessions already recorded, off
/// their path: the enforced verdict is never touched and never waits for it. A call received before this start and
/// decided after it (its hooks ran across a restart) is not judged again: its receipt lies before the followed part.
/// </summary>
public sealed class ShadowActor : VerifiedPersistentActor, IWithTimers
{
    public const string Name = "shadow";

    private readonly ReplayPolicy _candidate;
    private readonly string _candidateName;
    private readonly TimeSpan _interval;
    private readonly Dictionary<string, CallReceived> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ActorSystem _system = Context.System;
    private JournalHistory? _history;
    private long _position = -1;

    public ITimerScheduler Timers { get; set; } = null!;

    public ShadowActor(ReplayPolicy candidate, string candidateName, TimeSpan interval)
    {
        _candidate = candidate;
        _candidateName = candidateName;
        _interval = interval;
        // Each start follows from the journal's end and each decision is read once, so past disagreements need no state:
        // nothing is loaded at recovery and nothing grows with the number of disagreements.
        Recover<ShadowDisagreed>(_ => { });
        Command<Follow>(_ => FollowAsync().PipeTo(Self));
        Command<Followed>(Record);
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

    private async Task<Followed> FollowAsync()
    {
        _history ??= new JournalHistory(_system);
        if (_position < 0) return new Followed(await _history.EndAsync(), []);
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
        return new Followed(position, found);
    }

    private void Record(Followed followed)
    {
        _position = Math.Max(_position, followed.Position);
        if (followed.Disagreements.Count == 0)
        {
            Timers.StartSingleTimer(Follow.Instance, Follow.Instance, _interval);
            return;
        }
        PersistAll(followed.Disagreements, _ => { });
        DeferAsync(followed, _ => Timers.StartSingleTimer(Follow.Instance, Follow.Instance, _interval));
    }

    private sealed class Follow
    {
        public static readonly Follow Instance = new();
    }

    private sealed record Followed(long Position, IReadOnlyList<ShadowDisagreed> Disagreements);
}

/// <summary>Akka.Hosting: starts the <see cref="ShadowActor"/> when a candidate is given.</summary>
public static class ShadowHostingExtensions
{
    public static AkkaConfigurationBuilder WithShadowPolicy(this AkkaConfigurationBuilder builder,
        ReplayPolicy? candidate, string? candidateName, TimeSpan interval) =>
        candidate is null ? builder : builder.WithActors((system, _) => system.ActorOf(ShadowActor.Props(candidate, candidateName ?? "", interval), ShadowActor.Name));
}
