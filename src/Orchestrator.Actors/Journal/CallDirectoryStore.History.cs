using System.Data.Common;
using System.Runtime.CompilerServices;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The history read model, <c>orchestrator_history</c>, beside the call directory: one row per call, keyed by its first
/// event's global <c>position</c> (an append), with what the history's filters and listing need (session, agent,
/// workspace, tool, subject, times, the final decision with its rule and layer, the outcome), where the call's recorded
/// decision lies in the journal (<c>received_seq</c>, <c>decided_seq</c>, <c>decided_pos</c>) and, for replay, its
/// decision inputs as one compact record
/// (<c>decision_record</c>: <see cref="Core.History.Replay.DecisionRecordCodec"/>) sealed to its row, so a replay reads
/// this table alone. It is written off the journal's commit by the <see cref="HistoryFollower"/>, which records in
/// <c>orchestrator_history_mark</c> (same transaction) the journal position it has folded. It is an index, never trusted:
/// replay checks each record's seal (<see cref="DecisionRecordSeal"/>, keyed from the journal key, over the record and its
/// place) and fails on any forged, edited or moved one.
/// </summary>
public sealed partial class CallDirectoryStore
{
    public const string HistoryTableName = "orchestrator_history";
    public const string HistoryMarkTableName = "orchestrator_history_mark";

    /// <summary>
    /// The model's layout; a table of another layout (or none) is rebuilt from the journal at start. 6: a row decided after
    /// its call ended holds its decision record and counts (a model of 5 counted it not, and its replay failed).
    /// </summary>
    private const int HistoryLayout = 6;

    /// <summary>The history read model as SQL text (schema-qualified where needed).</summary>
    public string HistoryTable { get; }

    /// <summary>The model's high-water mark (one row: the journal position folded so far, the layout) as SQL text.</summary>
    public string HistoryMarkTable { get; }

    internal const string HistoryColumns =
        "position, call_id, persistence_id, received_seq, session_id, agent, workspace, tool, subject, received_at, " +
        "decision, reason, rule, layer, outcome, ended_at, decided_seq, decided_pos, decision_record";

    private string HistoryTableDefinition() =>
        $"CREATE TABLE {HistoryTable} (position {(_postgres ? "BIGINT" : "INTEGER")} NOT NULL PRIMARY KEY, call_id TEXT NOT NULL, " +
        "persistence_id TEXT NOT NULL, received_seq BIGINT NOT NULL, session_id TEXT NOT NULL, agent TEXT NOT NULL, workspace TEXT NULL, " +
        "tool TEXT NOT NULL, subject TEXT NOT NULL, received_at BIGINT NOT NULL, decision TEXT NULL, reason TEXT NULL, rule TEXT NULL, " +
        "layer TEXT NULL, outcome TEXT NULL, ended_at BIGINT NULL, decided_seq BIGINT NULL, decided_pos BIGINT NULL, " +
        $"decision_record {Bytes} NULL)";

    private string Bytes => _postgres ? "BYTEA" : "BLOB";

    /// <summary>
    /// Makes the model ready for its follower and returns its high-water mark: kept when the model and its mark exist in
    /// this layout; else (a journal written before the model existed, the older call_id-keyed layout, a table dropped to
    /// have it rebuilt, or <paramref name="rebuild"/>) both are dropped and created empty at mark 0, and the follower
    /// fills them from the journal. True in <c>Rebuilt</c> when that happened.
    /// </summary>
    internal async Task<(long Mark, bool Rebuilt)> PrepareHistoryModelAsync(CancellationToken cancellationToken, bool rebuild = false)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!rebuild && await TableExistsAsync(connection, HistoryMarkTable, HistoryMarkTableName, cancellationToken)
            && await TableExistsAsync(connection, HistoryTable, HistoryTableName, cancellationToken))
        {
            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT position, layout FROM {HistoryMarkTable} WHERE id = 1";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && reader.GetInt32(1) == HistoryLayout) return (reader.GetInt64(0), false);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in new[] { HistoryTable, HistoryTable + "_filling", HistoryMarkTable, HistoryTallyTable })
            await Execute(connection, transaction, $"DROP TABLE IF EXISTS {table}", cancellationToken);
        await Execute(connection, transaction, HistoryTableDefinition(), cancellationToken);
        foreach (var (name, definition) in new[]
                 {
                     ("agent", "(agent, position)"), ("session", "(session_id, position)"), ("received", "(received_at)"),
                     ("decided", "(decided_pos)"), ("open", "(position) WHERE outcome IS NULL"),
                 })
            await Execute(connection, transaction, $"CREATE INDEX {HistoryTableName}_{name} ON {HistoryTable} {definition}", cancellationToken);
        await Execute(connection, transaction,
            $"CREATE TABLE {HistoryMarkTable} (id INTEGER NOT NULL PRIMARY KEY, position BIGINT NOT NULL, layout INTEGER NOT NULL, " +
            $"decisions BIGINT NOT NULL, seal {Bytes} NULL)", cancellationToken);
        await Execute(connection, transaction, $"INSERT INTO {HistoryMarkTable} (id, position, layout, decisions) VALUES (1, 0, {HistoryLayout}, 0)", cancellationToken);
        await Execute(connection, transaction, HistoryTallyTableDefinition(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (0, true);
    }

    /// <summary>The model's high-water mark as committed (0 when it has none yet).</summary>
    public async Task<long> HistoryMarkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (!await TableExistsAsync(connection, HistoryMarkTable, HistoryMarkTableName, cancellationToken)) return 0;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(position), 0) FROM {HistoryMarkTable}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The position of the journal's last row (0 when it is empty or not created yet).</summary>
    public async Task<long> JournalEndAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await JournalEndAsync(connection, cancellationToken);
    }

    internal async Task<long> JournalEndAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await JournalExistsAsync(connection, cancellationToken)) return 0;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(ordering), 0) FROM {JournalTable}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows after <paramref name="after"/> matching <paramref name="filter"/>, in position order, at most
    /// <paramref name="limit"/> (tool and rule are compared by SQL's <c>lower</c>; the caller checks every row again).
    /// </summary>
    public async IAsyncEnumerable<CallSummary> HistoryRowsAsync(HistoryFilter filter, long after, int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "position > @after" };
        Add(command, "@after", after);
        void When(object? value, string name, string condition)
        {
            if (value is null) return;
            where.Add(condition);
            Add(command, name, value);
        }
        When(filter.Agent, "@agent", "agent = @agent");
        When(filter.Session, "@session", "session_id = @session");
        When(filter.Workspace, "@workspace", "workspace = @workspace");
        When(filter.From?.UtcTicks, "@from", "received_at >= @from");
        When(filter.To?.UtcTicks, "@to", "received_at < @to");
        When(filter.Decision?.ToString(), "@decision", "decision = @decision");
        When(filter.Outcome?.ToString(), "@outcome", "outcome = @outcome");
        if (filter.OnlyOpen) where.Add("outcome IS NULL");
        When(filter.Tool?.ToLowerInvariant(), "@tool", "lower(tool) = @tool");
        When(filter.Rule?.ToLowerInvariant(), "@rule", _postgres ? "strpos(lower(rule), @rule) > 0" : "instr(lower(rule), @rule) > 0");
        command.CommandText =
            "SELECT position, call_id, session_id, agent, workspace, tool, subject, received_at, decision, reason, rule, layer, outcome, ended_at " +
            $"FROM {HistoryTable} WHERE {string.Join(" AND ", where)} ORDER BY position LIMIT {limit}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new CallSummary(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), At(reader.GetInt64(7)),
                EnumAt<Decision>(reader, 8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                EnumAt<SettingsLayer>(reader, 11), EnumAt<CallOutcome>(reader, 12), reader.IsDBNull(13) ? null : At(reader.GetInt64(13)));
    }

    /// <summary>
    /// The recorded decisions of calls received within [<paramref name="from"/>, <paramref name="to"/>) (UTC ticks; of
    /// <paramref name="agent"/> when given), in the order of their decisions, each as the compact decision record the
    /// model keeps, with the place it was sealed to and the agent and time its row names (as stored: the caller checks
    /// them). One pass over the model, in one snapshot with its counts and mark, which <paramref name="sealsRead"/> is
    /// handed before the first row; the journal is not read.
    /// </summary>
    public async IAsyncEnumerable<DecisionRecordRow> DecisionRecordsAsync(long? from, long? to, string? agent, Action<HistorySeals> sealsRead,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var snapshot = await BeginSnapshotAsync(connection, cancellationToken);
        sealsRead(await HistorySealsAsync(connection, snapshot, cancellationToken));
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        var where = "decided_seq IS NOT NULL"; // the rows the model counts (HistoryTally.Counts)
        if (agent is not null) { where += " AND agent = @agent"; Add(command, "@agent", agent); }
        if (from is not null) { where += " AND received_at >= @from"; Add(command, "@from", from.Value); }
        if (to is not null) { where += " AND received_at < @to"; Add(command, "@to", to.Value); }
        command.CommandText =
            "SELECT position, persistence_id, received_seq, decided_seq, decided_pos, call_id, decision_record, agent, received_at " +
            $"FROM {HistoryTable} WHERE {where} ORDER BY decided_pos";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new DecisionRecordRow(
                new DecisionRecordPlace(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.IsDBNull(4) ? 0 : reader.GetInt64(4), reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetValue(6) as byte[], // not a blob (an edited type): missing, refused as such
                reader.GetString(7), reader.GetInt64(8));
    }

    private static DateTimeOffset At(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static T? EnumAt<T>(DbDataReader reader, int column) where T : struct, Enum =>
        reader.IsDBNull(column) ? null : Enum.Parse<T>(reader.GetString(column));
}

/// <summary>
/// A recorded decision as the history read model holds it: its compact record as stored (null: missing), the place it
/// must be sealed to, and the agent and receipt time (UTC ticks) its row names, which the record must say too.
/// </summary>
public sealed record DecisionRecordRow(DecisionRecordPlace Place, byte[]? Record, string Agent, long ReceivedAt);
