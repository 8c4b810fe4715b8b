using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The <c>orchestrator_calls</c> table beside the journal (SQLite or PostgreSQL, the journal's own database and schema):
/// <c>call_id</c> (primary key), <c>persistence_id</c>, <c>first_seq</c>, <c>last_seq</c> (null while the call is
/// open), with a partial index on the open rows so the sessions with open calls are found without a scan.
/// </summary>
public sealed class CallDirectoryStore : IAsyncDisposable
{
    public const string TableName = "orchestrator_calls";
    private const int ChunkSize = 500;

    private readonly bool _postgres;
    private readonly string _sqliteConnectionString = "";
    private readonly NpgsqlDataSource? _dataSource;

    private CallDirectoryStore(bool postgres, string connectionString, string? schema)
    {
        _postgres = postgres;
        if (postgres) _dataSource = NpgsqlDataSource.Create(connectionString);
        else _sqliteConnectionString = connectionString;
        // Schema names are validated plain identifiers (PostgresPersistenceOptions.Schema), so quoting them is exact.
        Table = schema is null ? TableName : $"\"{schema}\".{TableName}";
        JournalTable = schema is null ? "journal" : $"\"{schema}\".journal";
    }

    /// <summary>The store for the journal's provider (<c>SQLite…</c> or <c>PostgreSQL…</c>), connection string and schema.</summary>
    public static CallDirectoryStore For(string providerName, string connectionString, string? schema) =>
        providerName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase) ? new CallDirectoryStore(true, connectionString, schema)
        : providerName.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase) ? new CallDirectoryStore(false, connectionString, null)
        : throw new NotSupportedException($"The call directory supports SQLite and PostgreSQL journals, not \"{providerName}\".");

    /// <summary>The table as SQL text (schema-qualified where needed).</summary>
    public string Table { get; }

    /// <summary>Akka.Persistence.Sql's journal table (default table mapping) in the same database and schema.</summary>
    public string JournalTable { get; }

    public bool IsPostgres => _postgres;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is not null) return await _dataSource.OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        // SQLite retries a busy database itself within milliseconds (see SqliteWriteBatching for why not the driver's 150 ms).
        await Execute(connection, null, "PRAGMA busy_timeout = 30000;", cancellationToken);
        return connection;
    }

    /// <summary>Creates the table and its index when missing; true when the table holds no row.</summary>
    public async Task<bool> CreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, null,
            $"CREATE TABLE IF NOT EXISTS {Table} (call_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NULL)",
            cancellationToken);
        await Execute(connection, null,
            $"CREATE INDEX IF NOT EXISTS {TableName}_open ON {Table} (persistence_id) WHERE last_seq IS NULL", cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {Table})";
        return !Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Whether Akka.Persistence.Sql's journal table exists yet (it creates it when the journal starts).</summary>
    public async Task<bool> JournalExistsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _postgres
            ? $"SELECT to_regclass('{JournalTable.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL"
            : "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal')";
        return Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>
    /// Writes the opens then the closes in one transaction on <paramref name="connection"/>. A call id another session
    /// already holds is left to it (its row is not touched, the write does not fail); the same session writing a call
    /// again (a write that failed after its row was stored) moves the row to the new events.
    /// </summary>
    public async Task WriteAsync(DbConnection connection, IReadOnlyList<CallOpened> opens, IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (_postgres) await WritePostgresAsync(connection, transaction, opens, closes, cancellationToken);
        else await WriteSqliteAsync(connection, transaction, opens, closes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private string Upsert(string values) =>
        $"INSERT INTO {Table} (call_id, persistence_id, first_seq, last_seq) {values} " +
        $"ON CONFLICT (call_id) DO UPDATE SET first_seq = excluded.first_seq, last_seq = excluded.last_seq " +
        $"WHERE {TableName}.persistence_id = excluded.persistence_id";

    private async Task WriteSqliteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CallOpened> opens, IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        if (opens.Count > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = Upsert("VALUES (@c, @p, @f, @l)");
            var (c, p, f, l) = (Add(insert, "@c"), Add(insert, "@p"), Add(insert, "@f"), Add(insert, "@l"));
            foreach (var open in opens)
            {
                (c.Value, p.Value, f.Value, l.Value) = (open.Call.Value, open.PersistenceId, open.FirstSequenceNr, (object?)open.LastSequenceNr ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (closes.Count > 0)
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = $"UPDATE {Table} SET last_seq = @l WHERE call_id = @c AND persistence_id = @p";
            var (c, p, l) = (Add(update, "@c"), Add(update, "@p"), Add(update, "@l"));
            foreach (var close in closes)
            {
                (c.Value, p.Value, l.Value) = (close.Call.Value, close.PersistenceId, close.LastSequenceNr);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private async Task WritePostgresAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CallOpened> opens, IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        if (opens.Count > 0)
        {
            // One statement may not touch a row twice: the first of a call id in this batch is the one written.
            var distinct = opens.DistinctBy(o => o.Call).ToArray();
            await using var insert = (NpgsqlCommand)connection.CreateCommand();
            insert.Transaction = (NpgsqlTransaction)transaction;
            insert.CommandText = Upsert("SELECT * FROM unnest(@c, @p, @f, @l)");
            insert.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct.Select(o => o.Call.Value).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct.Select(o => o.PersistenceId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = distinct.Select(o => o.FirstSequenceNr).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = distinct.Select(o => o.LastSequenceNr).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (closes.Count > 0)
        {
            await using var update = (NpgsqlCommand)connection.CreateCommand();
            update.Transaction = (NpgsqlTransaction)transaction;
            update.CommandText = $"UPDATE {Table} AS t SET last_seq = u.l FROM unnest(@c, @p, @l) AS u(c, p, l) WHERE t.call_id = u.c AND t.persistence_id = u.p";
            update.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = closes.Select(o => o.Call.Value).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = closes.Select(o => o.PersistenceId).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = closes.Select(o => o.LastSequenceNr).ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken)
    {
        var found = await FindManyAsync([call], cancellationToken);
        return found.GetValueOrDefault(call);
    }

    public async Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken)
    {
        var places = new Dictionary<CallId, CallPlace>();
        if (calls.Count == 0) return places;
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var chunk in calls.Distinct().Chunk(ChunkSize))
        {
            await using var command = connection.CreateCommand();
            if (_postgres)
            {
                command.CommandText = $"SELECT call_id, persistence_id, first_seq, last_seq FROM {Table} WHERE call_id = ANY(@c)";
                command.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(c => c.Value).ToArray() });
            }
            else
            {
                var names = new string[chunk.Length];
                for (var i = 0; i < chunk.Length; i++) Add(command, names[i] = "@c" + i).Value = chunk[i].Value;
                command.CommandText = $"SELECT call_id, persistence_id, first_seq, last_seq FROM {Table} WHERE call_id IN ({string.Join(',', names)})";
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (CallDirectoryChanges.SessionOf(reader.GetString(1)) is not { } session) continue;
                places[new CallId(reader.GetString(0))] = new CallPlace(session, reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3));
            }
        }
        return places;
    }

    public async Task<IReadOnlyList<SessionId>> SessionsWithOpenCallsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT persistence_id FROM {Table} WHERE last_seq IS NULL";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sessions = new List<SessionId>();
        while (await reader.ReadAsync(cancellationToken))
            if (CallDirectoryChanges.SessionOf(reader.GetString(0)) is { } session) sessions.Add(session);
        return sessions;
    }

    public async IAsyncEnumerable<CallId> AllCallIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT call_id FROM {Table}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return new CallId(reader.GetString(0));
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
    }
}
