using Orchestrator.Actors.Hosting;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>A store the journal specs run against; each instance is private to one spec.</summary>
public interface IJournalBackend : IDisposable
{
    PersistenceOptions Options { get; }

    /// <summary>Every journal row, in write order, read straight from the database (not through Akka).</summary>
    IReadOnlyList<JournalRow> ReadJournalRows();
}
