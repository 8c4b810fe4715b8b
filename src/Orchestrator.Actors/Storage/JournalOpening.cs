using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Storage;

namespace Orchestrator.Actors.Storage;

/// <summary>
/// Checks a journal before Akka opens it (<see cref="JournalStartCheck"/>): a SQLite file that is empty or not a
/// database, a journal behind its high-water mark, events without their key. Refuses with one line
/// (<see cref="StartupRefusedException"/>), never a stack trace. Damage deeper in a SQLite file is found by
/// <c>PRAGMA quick_check</c> once the server runs (<see cref="Journal.CallDirectory"/>): it reads the whole file, which at a
/// million calls takes longer than the whole restart may.
/// </summary>
public static class JournalOpening
{
    public const string AcceptanceLog = "journal-acceptances.log";

    /// <summary>
    /// Run before the journal's key is created and before the SQLite file is created or switched to WAL. Returns the
    /// high-water mark the journal is to start from (as read, lowered when a rewound journal is accepted, or empty when
    /// there was none): hand it on (<see cref="PersistenceOptions.CheckedMark"/>) so the mark is read once.
    /// </summary>
    /// <exception cref="StartupRefusedException">The journal must not be opened.</exception>
    public static HighWaterMark Check(PersistenceOptions options)
    {
        var dataDirectory = DataDirectory.Ensure(options.KeyDirectory
            ?? throw new ArgumentException("The journal needs a data directory for its keys and high-water mark.", nameof(options)));
        var stored = options switch
        {
            SqlitePersistenceOptions sqlite => StoredInSqlite(sqlite.DatabasePath),
            PostgresPersistenceOptions postgres => StoredInPostgres(postgres),
            _ => new Dictionary<string, long>(),
        };
        var markPath = JournalKeyFiles.HighWaterMarkPath(dataDirectory);
        HighWaterMark? mark;
        try
        {
            mark = HighWaterMarkFile.Read(markPath);
        }
        catch (FormatException e)
        {
            throw new StartupRefusedException($"the high-water mark {markPath} is unreadable ({e.Message}); restore it from a backup");
        }
        var keyExisted = File.Exists(JournalKeyFiles.JournalKeyPath(dataDirectory));
        var refusal = JournalStartCheck.Refusal(options.JournalName, stored, mark, keyExisted, options.AcceptRewoundJournal);
        if (refusal is not null) throw new StartupRefusedException(refusal);

        if (options.AcceptRewoundJournal)
        {
            var without = JournalStartCheck.Refusal(options.JournalName, stored, mark, keyExisted, acceptRewound: false);
            if (without is not null) mark = Accept(dataDirectory, markPath, mark, stored, without);
        }
        // From the first start on, the mark exists (it lags the journal by a flush at most): a missing one was removed.
        // A log left without its mark is not a mark and goes with the new one.
        if (mark is null) HighWaterMarkFile.Replace(markPath, HighWaterMark.Empty);
        return mark ?? HighWaterMark.Empty;
    }

    /// <summary>
    /// Records the acceptance and lowers the mark to what the journal holds, so the next start is checked again; returns
    /// the lowered mark (null when there was none).
    /// </summary>
    private static HighWaterMark? Accept(string dataDirectory, string markPath, HighWaterMark? mark, IReadOnlyDictionary<string, long> stored, string what)
    {
        File.AppendAllText(Path.Combine(dataDirectory, AcceptanceLog),
            $"{DateTimeOffset.UtcNow:O} accepted with {JournalStartCheck.AcceptFlag}: {what}{Environment.NewLine}");
        if (mark is null) return null;
        var lowered = mark with
        {
            Marks = mark.Marks.RemoveRange(mark.Marks.Where(m => (stored.TryGetValue(m.Key, out var n) ? n : 0) < m.Value.SequenceNr).Select(m => m.Key)),
        };
        HighWaterMarkFile.Replace(markPath, lowered);
        return lowered;
    }

    private static Dictionary<string, long> StoredInSqlite(string path)
    {
        if (!File.Exists(path)) return [];
        if (new FileInfo(path).Length == 0)
            throw new StartupRefusedException(
                $"journal {path} is an empty file (0 bytes), not a journal: restore it from a backup, or move it away to start a new journal");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var tables = connection.CreateCommand();
            tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal';";
            return (long)tables.ExecuteScalar()! == 0 ? [] : HighestPerId(connection, "journal");
        }
        catch (SqliteException e)
        {
            throw new StartupRefusedException(
                $"journal {path} cannot be read as a SQLite database ({e.Message.TrimEnd('.')}); restore it from a backup, or move it away to start a new journal", e);
        }
    }

    private static Dictionary<string, long> StoredInPostgres(PostgresPersistenceOptions options)
    {
        using var connection = new NpgsqlConnection(options.ConnectionString);
        connection.Open();
        var table = options.Schema is null ? "journal" : $"\"{options.Schema}\".journal";
        using var exists = connection.CreateCommand();
        exists.CommandText = $"SELECT to_regclass('{table.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL";
        return (bool)exists.ExecuteScalar()! ? HighestPerId(connection, table) : [];
    }

    private static Dictionary<string, long> HighestPerId(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT persistence_id, MAX(sequence_number) FROM {table} GROUP BY persistence_id";
        using var reader = command.ExecuteReader();
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read()) stored[reader.GetString(0)] = reader.GetInt64(1);
        return stored;
    }
}
