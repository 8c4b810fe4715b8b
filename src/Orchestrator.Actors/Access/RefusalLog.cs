using Akka.Actor;
using Akka.Hosting;
using Akka.Pattern;
using Akka.Persistence;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Access;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Access;

/// <summary>
/// <c>refusals</c> (persistence id <c>refusals</c>, on the sealed journal): every refused request, as <see cref="RequestRefused"/> events.
/// Repeats within a window are counted by a <see cref="RefusalAggregator"/> and written with the next record, so a
/// flood of refusals cannot flood the journal. Keeps the latest <see cref="Kept"/> in memory for <c>/v1/refusals</c>.
/// </summary>
public sealed class RefusalLog : VerifiedPersistentActor
{
    public const string Name = "refusals";
    public const int Kept = 1000;

    private readonly RefusalAggregator _aggregator;
    private readonly LinkedList<RequestRefused> _recent = new();

    public RefusalLog(TimeSpan window)
    {
        _aggregator = new RefusalAggregator(window);
        Recover<RequestRefused>(Remember);
        Command<RecordRefusal>(msg =>
        {
            var (record, suppressed) = _aggregator.Observe(msg.Who, msg.Route, msg.Reason, msg.At);
            if (record) PersistAsync(new RequestRefused(msg.Who, msg.Route, msg.Status, msg.Reason, suppressed, msg.At), Remember);
        });
        Command<ListRefusals>(msg => Sender.Tell(new RecentRefusals([.. _recent.Take(Math.Clamp(msg.Limit, 1, Kept))])));
    }

    public override string PersistenceId => Name;

    public static Props Props(TimeSpan window) => Akka.Actor.Props.Create(() => new RefusalLog(window));

    /// <summary>The log under a backoff supervisor (a journal failure stops it; it comes back, later and later), as the registry holds it.</summary>
    public static Props Supervised(TimeSpan window) => BackoffSupervisor.Props(Backoff.OnStop(Props(window), Name,
        TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1));

    private void Remember(RequestRefused refused)
    {
        _recent.AddFirst(refused);
        if (_recent.Count > Kept) _recent.RemoveLast();
    }
}

/// <summary>Akka.Hosting extension that starts the <see cref="RefusalLog"/> (registered as <see cref="RefusalLog"/>).</summary>
public static class RefusalLogHostingExtensions
{
    public static AkkaConfigurationBuilder WithRefusalLog(this AkkaConfigurationBuilder builder, TimeSpan? window = null) =>
        builder.WithActors((system, registry) =>
            registry.Register<RefusalLog>(system.ActorOf(RefusalLog.Supervised(window ?? TimeSpan.FromMinutes(1)), RefusalLog.Name + "-supervisor")));
}
