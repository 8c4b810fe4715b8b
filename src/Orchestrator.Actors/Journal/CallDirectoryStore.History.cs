using System.Data.Common;
using System.Runtime.CompilerServices;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The history read model, <c>orchestrator_history</c>, beside the call directory and written in the same transaction
/// as the events it is derived from: one row per call with what the history's filters and listing need (its first
/// event's global <c>position</c>, session, agent, workspace, tool, subject, times, the final decision with its rule
/// and layer, the outcome) and where the recorded decision a replay judges again lies (<c>received_seq</c>,
/// <c>decided_seq</c>, <c>decided_pos</c>). It is an index, never the record: replay opens the sealed events it points
/// to and fails on any that is not the call the row names.
/// </summary>
public sealed partial class CallDirectoryStore
{
    public const string HistoryTableName = "orchestrator_history";

    /// <summary>The history read model as SQL text (schema-qualified where needed).</summary>
    public string HistoryTable { get; }

    internal const string HistoryColumns =
        "call_id, persistence_id, position, received_seq, session_id, agent, workspace, tool, subject, received_at, " +
        "decision, reason, rule, layer, outcome, ended_at, decided_seq, decided_pos";

    internal static string HistoryTableDefinition(string table) =>
        $"CREATE TABLE {table} (call_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, position BIGINT NULL, " +
        "received_seq BIGINT NOT NULL, session_id TEXT NOT NULL, agent TEXT NOT NULL, workspace TEXT NULL, tool TEXT NOT NULL, " +
        "subject TEXT NOT NULL, received_at BIGINT NOT NULL, decision TEXT NULL, reason TEXT NULL, rule TEXT NULL, layer TEXT NULL, " +
        "outcome TEXT NULL, ended_at BIGINT NULL, decided_seq BIGINT NULL, decided_pos BIGINT NULL)";

    internal Task<bool> HistoryModelExistsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        TableExistsAsync(connection, HistoryTable, HistoryTableName, cancellationToken);

    internal async Task CreateHistoryIndexesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        foreach (var (name, columns) in new[]
                 {
                     ("position", "position"), ("agent", "agent, position"), ("session", "session_id, position"),
                     ("received", "received_at"), ("decided", "decided_pos"),
                 })
            await Execute(connection, null, $"CREATE INDEX IF NOT EXISTS {HistoryTableName}_{name} ON {HistoryTable} ({columns})", cancellationToken);
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
    /// The recorded decisions of calls received within [from, to) (of <paramref name="agent"/> when given), in the
    /// order of their decisions, each with the journal rows the read model points to (as stored: the caller checks their seals).
    /// </summary>
    public async IAsyncEnumerable<RecordedDecisionRow> DecisionRowsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = "h.decided_seq IS NOT NULL";
        if (agent is not null) { where += " AND h.agent = @agent"; Add(command, "@agent", agent); }
        if (from is not null) { where += " AND h.received_at >= @from"; Add(command, "@from", from.Value.UtcTicks); }
        if (to is not null) { where += " AND h.received_at < @to"; Add(command, "@to", to.Value.UtcTicks); }
        command.CommandText =
            "SELECT h.call_id, h.persistence_id, h.received_seq, h.decided_seq, h.decided_pos, " +
            "r.identifier, r.manifest, r.message, d.identifier, d.manifest, d.message " +
            $"FROM {HistoryTable} h " +
            $"LEFT JOIN {JournalTable} r ON r.persistence_id = h.persistence_id AND r.sequence_number = h.received_seq " +
            $"LEFT JOIN {JournalTable} d ON h.decided_seq <> h.received_seq AND d.persistence_id = h.persistence_id AND d.sequence_number = h.decided_seq " +
            $"WHERE {where} ORDER BY h.decided_pos";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new RecordedDecisionRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? 0 : reader.GetInt64(4), StoredAt(reader, 5), StoredAt(reader, 8));
    }

    private static DateTimeOffset At(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static T? EnumAt<T>(DbDataReader reader, int column) where T : struct, Enum =>
        reader.IsDBNull(column) ? null : Enum.Parse<T>(reader.GetString(column));
}

/// <summary>A recorded decision as the history read model points to it: its call, where its events lie, and those events as stored.</summary>
public sealed record RecordedDecisionRow(
    string CallId,
    string PersistenceId,
    long ReceivedSequenceNr,
    long DecidedSequenceNr,
    long DecidedPosition,
    StoredEvent? Received,
    StoredEvent? Decided);
