using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.Hosting;

/// <summary>The read side of the journal WithOrchestratorPersistence configures (plugin <see cref="PluginId"/>), verified.</summary>
public static class OrchestratorReadJournal
{
    public const string PluginId = "akka.persistence.query.journal.sql";

    public static VerifiedReadJournal Of(ActorSystem system) =>
        new(PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(PluginId), system);
}
