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
public sealed partial class CallDirectoryStore : IAsyncDisposable
{
    public const string TableName = "orchestrator_calls";

    /// <summary>How long a SQLite connection of the store waits for a lock before the statement fails.</summary>
    internal static readonly TimeSpan SqliteBusyTimeout = TimeSpan.FromSeconds(30);
    private const int ChunkSize = 500;

    private readonly bool _postgres;
    private readonly string _sqliteConnectionString = "";
    private readonly NpgsqlDataSource? _dataSource;

    private CallDirectoryStore(bool postgres, string connectionString, string? schema)
    {
        _postgres = postgres;
        if (postgres)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // The journal's few statements are prepared on each connection once (unless the connection string says otherwise).
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
            _dataSource = builder.Build();
        }
        else _sqliteConnectionString = connectionString;
        // Schema names are validated plain identifiers (PostgresPersistenceOptions.Schema), so quoting them is exact.
        Table = schema is null ? TableName : $"\"{schema}\".{TableName}";
        ApprovalTable = schema is null ? ApprovalTableName : $"\"{schema}\".{ApprovalTableName}";
        HistoryTable = schema is null ? HistoryTableName : $"\"{schema}\".{HistoryTableName}";
        HistoryMarkTable = schema is null ? HistoryMarkTableName : $"\"{schema}\".{HistoryMarkTableName}";
        HistoryTallyTable = schema is null ? HistoryTallyTableName : $"\"{schema}\".{HistoryTallyTableName}";
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

    /// <param name="pooled">
    /// False for a long-lived writing connection (<see cref="SqliteWriterConnection"/>): its settings must not go back to
    /// SQLite's pool and on to other users.
    /// </param>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true)
    {
        if (_dataSource is not null) return await _dataSource.OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(pooled ? _sqliteConnectionString
            : new SqliteConnectionStringBuilder(_sqliteConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // SQLite retries a busy database itself within milliseconds (see SqliteWriteBatching for why not the driver's 150 ms).
        await Execute(connection, null, $"PRAGMA busy_timeout = {(int)SqliteBusyTimeout.TotalMilliseconds};", cancellationToken);
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

    /// <summary>SQLite's <c>PRAGMA quick_check</c> of the whole file ("ok", or what is damaged); "ok" on PostgreSQL, which checks its own pages.</summary>
    public async Task<string> QuickCheckAsync(CancellationToken cancellationToken)
    {
        if (_postgres) return "ok";
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "no answer";
    }

    /// <summary>Whether Akka.Persistence.Sql's journal table exists yet (it creates it when the journal starts).</summary>
    public Task<bool> JournalExistsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        TableExistsAsync(connection, JournalTable, "journal", cancellationToken);

    /// <summary>Whether <paramref name="table"/> (as SQL text; <paramref name="name"/> unqualified, for SQLite) exists.</summary>
    private async Task<bool> TableExistsAsync(DbConnection connection, string table, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _postgres
            ? $"SELECT to_regclass('{table.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL"
            : $"SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{name}')";
        return Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>A batch writer on <paramref name="connection"/> (which it then owns) for journal rows and call rows.</summary>
    internal JournalBatch CreateBatch(DbConnection connection, string writerUuid) =>
        JournalBatch.For(connection, JournalTable, Table, ApprovalTable, writerUuid);

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

    public async Task<IReadOnlyList<SessionId>> SessionsToWakeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A call whose request is open waits for an operator: the broker wakes its session for an answer or at its
        // deadline — unless the session's journal holds anything after that request (another call's events, or a row
        // nobody sealed): waking it verifies those now (a journal not created yet holds nothing).
        var journal = await JournalExistsAsync(connection, cancellationToken);
        command.CommandText = $"SELECT DISTINCT c.persistence_id FROM {Table} c WHERE c.last_seq IS NULL AND NOT EXISTS " +
            $"(SELECT 1 FROM {ApprovalTable} a WHERE a.call_id = c.call_id AND a.persistence_id = c.persistence_id AND a.closed_seq IS NULL) " +
            (!journal ? "" : $"UNION SELECT a.persistence_id FROM {ApprovalTable} a " +
            $"JOIN {Table} c ON c.call_id = a.call_id AND c.persistence_id = a.persistence_id AND c.last_seq IS NULL " +
            $"WHERE a.closed_seq IS NULL AND EXISTS (SELECT 1 FROM {JournalTable} j WHERE j.persistence_id = a.persistence_id AND j.sequence_number > a.requested_seq)");
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

    private static DbParameter Add(DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (value is not null) parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
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
