using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.Hosting;

/// <summary>The read side of the journal WithOrchestratorPersistence configures (plugin <see cref="PluginId"/>), verified.</summary>
public static class OrchestratorReadJournal
{
    public const string PluginId = "akka.persistence.query.journal.sql";

    /// <summary>How long a read waits for the journal to finish starting before it fails.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The read journal, once the write journal has started. Akka.Persistence.Sql's read journal asks the write journal
    /// whether it started (an internal message) with a fixed 5 s timeout and throws past it, caching nothing; a journal
    /// still starting — a busy machine, a large database (<c>orchestrator history show --data</c>) — is asked again
    /// until <see cref="StartWait"/> has passed, instead of failing the read.
    /// </summary>
    public static async Task<VerifiedReadJournal> OfAsync(ActorSystem system, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + StartWait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var journal = await Task.Run(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(PluginId), cancellationToken)
                    .ConfigureAwait(false);
                return new(journal, system);
            }
            catch (Exception e) when (StillStarting(e))
            {
                if (DateTimeOffset.UtcNow >= deadline)
                    throw new TimeoutException($"the journal did not finish starting within {StartWait.TotalMinutes:0} minutes", e);
            }
        }
    }

    private static bool StillStarting(Exception e) => e switch
    {
        AskTimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(StillStarting),
        _ => e.InnerException is { } inner && StillStarting(inner),
    };
}
