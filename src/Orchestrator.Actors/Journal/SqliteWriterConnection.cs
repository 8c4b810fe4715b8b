using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// How the long-lived SQLite connections that write in groups are set up: the journal's writer and the history model's
/// follower.
/// <list type="bullet">
/// <item>Their page cache holds a whole group. SQLite's default (2 MiB, ~500 pages) is smaller than one: with many
/// sessions each call lands on its own leaf of <c>journal_uq</c> and of the call directory's key, so a group of ~400
/// calls dirties ~1,400 pages. SQLite then spilled dirty pages into the write-ahead log in the middle of the transaction,
/// wrote many of them again at commit, and read back pages it had just evicted — on the writer, the one serial stage
/// every call waits on (BENCHMARKS.md, "The journal writer's page cache"). The cache only grows with the pages used.</item>
/// <item>They leave checkpoints to the <see cref="SqliteCheckpointer"/> (SQLite's own only past
/// <see cref="SqliteCheckpointer.WriterFallbackPages"/>). Left to SQLite, any commit that finds the log past 1,000 pages
/// checkpoints it inside that commit: the follower's did so after nearly every batch, and the checkpointer then found
/// the checkpoint busy.</item>
/// </list>
/// </summary>
internal static class SqliteWriterConnection
{
    public const int CacheMebibytes = 32;

    public static void Configure(SqliteConnection connection)
    {
        using var pragma = connection.CreateCommand();
        // SQLite counts a negative cache size in KiB.
        pragma.CommandText = $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterFallbackPages}; PRAGMA cache_size = -{CacheMebibytes * 1024};";
        pragma.ExecuteNonQuery();
    }
}
