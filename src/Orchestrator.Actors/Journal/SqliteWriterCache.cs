using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The page cache of the long-lived SQLite connections that write in groups: the journal's writer and the history
/// model's follower. SQLite's default (2 MiB, ~500 pages) is smaller than one group: with many sessions each call lands
/// on its own leaf of <c>journal_uq</c> and of the call directory's key, so a group of ~400 calls dirties ~1,400 pages.
/// SQLite then spilled dirty pages into the write-ahead log in the middle of the transaction, wrote many of them again
/// at commit, and read back pages it had just evicted — on the writer, the one serial stage every call waits on
/// (BENCHMARKS.md, "The journal writer's page cache"). The cache only grows with the pages a connection uses.
/// </summary>
internal static class SqliteWriterCache
{
    public const int Mebibytes = 32;

    /// <summary>Gives <paramref name="connection"/> the writers' cache (SQLite counts a negative size in KiB).</summary>
    public static void Apply(SqliteConnection connection)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA cache_size = -{Mebibytes * 1024};";
        pragma.ExecuteNonQuery();
    }
}
