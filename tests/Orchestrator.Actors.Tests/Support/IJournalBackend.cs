using Orchestrator.Actors.Hosting;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>A store the journal specs run against; each instance is private to one spec.</summary>
public interface IJournalBackend : IDisposable
{
    PersistenceOptions Options { get; }

    /// <summary>Every journal row, in write order, read straight from the database (not through Akka).</summary>
    IReadOnlyList<JournalRow> ReadJournalRows();

    /// <summary>Every snapshot row, read straight from the database.</summary>
    IReadOnlyList<SnapshotRow> ReadSnapshotRows();

    /// <summary>The snapshot table's name as SQL text (schema-qualified where needed).</summary>
    string SnapshotTable { get; }

    /// <summary>The journal table's name as SQL text (schema-qualified where needed).</summary>
    string JournalTable { get; }

    /// <summary>Runs <paramref name="sql"/> straight on the database, as someone tampering with the file would.</summary>
    int Execute(string sql, params (string Name, object Value)[] parameters);

    /// <summary>Every row <paramref name="sql"/> returns, each as its column values (DBNull as null), read straight from the database.</summary>
    IReadOnlyList<object?[]> Query(string sql);
}
