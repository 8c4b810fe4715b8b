using System.Data.Common;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The approval index, <c>orchestrator_approvals</c>, beside the call directory: one row per approval request
/// (<c>approval_id</c>, the session's <c>persistence_id</c>, <c>call_id</c>, <c>requested_seq</c>), <c>closed_seq</c>
/// once it is answered or timed out, and <c>grant_due</c> while an approving session/always answer waits for the
/// broker's grant to be written. A partial index holds the unsettled rows (open, or owing a grant), so the broker is
/// rebuilt from them alone, and another the open requests by call, so sessions whose only unfinished calls wait for
/// an operator are not woken at start.
/// </summary>
public sealed partial class CallDirectoryStore
{
    public const string ApprovalTableName = "orchestrator_approvals";

    /// <summary>The approval index as SQL text (schema-qualified where needed).</summary>
    public string ApprovalTable { get; }

    internal static string ApprovalTableDefinition(string table) =>
        $"CREATE TABLE {table} (approval_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, call_id TEXT NOT NULL, " +
        "requested_seq BIGINT NOT NULL, closed_seq BIGINT NULL, grant_due INTEGER NOT NULL DEFAULT 0)";

    /// <summary>Whether the approval index exists (it is created whole, filled from an older journal, by <see cref="ApprovalIndexBackfill"/>).</summary>
    internal Task<bool> ApprovalIndexExistsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        TableExistsAsync(connection, ApprovalTable, ApprovalTableName, cancellationToken);

    internal async Task CreateApprovalIndexesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await Execute(connection, null,
            $"CREATE INDEX IF NOT EXISTS {ApprovalTableName}_unsettled ON {ApprovalTable} (persistence_id) WHERE closed_seq IS NULL OR grant_due = 1",
            cancellationToken);
        await Execute(connection, null,
            $"CREATE INDEX IF NOT EXISTS {ApprovalTableName}_open ON {ApprovalTable} (call_id) WHERE closed_seq IS NULL", cancellationToken);
    }

    /// <summary>
    /// The approvals still open on calls still open, and those owing a grant, each with the journal rows of its request
    /// and (owing a grant) of its answer, as stored: the caller checks their seals.
    /// </summary>
    public async Task<IReadOnlyList<UnsettledApprovalRow>> UnsettledApprovalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT a.approval_id, a.persistence_id, a.call_id, a.requested_seq, a.closed_seq, a.grant_due, " +
            "r.identifier, r.manifest, r.message, x.identifier, x.manifest, x.message " +
            $"FROM {ApprovalTable} a " +
            $"LEFT JOIN {Table} c ON c.call_id = a.call_id AND c.persistence_id = a.persistence_id " +
            $"LEFT JOIN {JournalTable} r ON r.persistence_id = a.persistence_id AND r.sequence_number = a.requested_seq " +
            $"LEFT JOIN {JournalTable} x ON a.grant_due = 1 AND x.persistence_id = a.persistence_id AND x.sequence_number = a.closed_seq " +
            "WHERE (a.closed_seq IS NULL OR a.grant_due = 1) AND (a.grant_due = 1 OR c.last_seq IS NULL)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UnsettledApprovalRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (CallDirectoryChanges.SessionOf(reader.GetString(1)) is not { } session) continue;
            rows.Add(new UnsettledApprovalRow(new ApprovalId(reader.GetString(0)), session, reader.GetString(1),
                new CallId(reader.GetString(2)), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.GetInt32(5) != 0,
                StoredAt(reader, 6), StoredAt(reader, 9)));
        }
        return rows;
    }

    /// <summary>The session and call of an approval ever requested (open or settled); null for an id never issued.</summary>
    public async Task<(SessionId Session, CallId Call)?> FindApprovalAsync(ApprovalId approval, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT persistence_id, call_id FROM {ApprovalTable} WHERE approval_id = @a";
        Add(command, "@a", approval.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || CallDirectoryChanges.SessionOf(reader.GetString(0)) is not { } session) return null;
        return (session, new CallId(reader.GetString(1)));
    }

    private static StoredEvent? StoredAt(DbDataReader reader, int column) =>
        reader.IsDBNull(column + 2) ? null : new StoredEvent(reader.GetInt32(column), reader.GetString(column + 1), (byte[])reader.GetValue(column + 2));
}

/// <summary>A journal row's payload as Akka.Persistence.Sql stores it: serializer id, manifest, bytes (a <see cref="SealedEvent"/>).</summary>
public sealed record StoredEvent(int SerializerId, string Manifest, byte[] Message);

/// <summary>An unsettled approval's index row with its request's stored event and, when it owes a grant, its answer's.</summary>
public sealed record UnsettledApprovalRow(
    ApprovalId Approval,
    SessionId Session,
    string PersistenceId,
    CallId Call,
    long RequestedSequenceNr,
    long? ClosedSequenceNr,
    bool GrantDue,
    StoredEvent? Requested,
    StoredEvent? Answer);
