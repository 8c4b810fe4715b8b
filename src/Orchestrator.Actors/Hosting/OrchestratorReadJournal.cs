using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;

namespace Orchestrator.Actors.Hosting;

/// <summary>The read side of the journal WithOrchestratorPersistence configures (plugin <see cref="PluginId"/>).</summary>
public static class OrchestratorReadJournal
{
    public const string PluginId = "akka.persistence.query.journal.sql";

    public static SqlReadJournal Of(ActorSystem system) => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(PluginId);
}
