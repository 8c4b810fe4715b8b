using Orchestrator.Core.History.Events;

using System.Data.Common;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// A call's row in the history read model as the <see cref="HistoryModelFold"/> knows it: its session, its position,
/// its received event's sequence number, the agent and receipt time (UTC ticks) its row names, whether it has its first
/// decision yet and — until then — its received event (or, for a row written before, that event's journal row, opened
/// when the decision comes). Calls not ended are kept by the fold; an ended one is read again when an event comes after its end.
/// </summary>
internal sealed class CallRow(string persistenceId, long position, long receivedSequenceNr, string agent, long receivedAt, bool decided)
{
    public string PersistenceId { get; } = persistenceId;
    public long Position { get; } = position;
    public long ReceivedSequenceNr { get; } = receivedSequenceNr;
    public string Agent { get; } = agent;
    public long ReceivedAt { get; } = receivedAt;
    public bool Decided { get; set; } = decided;
    public CallReceived? Received { get; set; }
    public StoredEvent? ReceivedRow { get; set; }

    /// <summary>The columns <see cref="Read"/> reads, of the model's row <c>h</c> and <see cref="ReceivedJoin"/>'s <c>r</c>.</summary>
    public const string Columns = "h.persistence_id, h.position, h.received_seq, h.agent, h.received_at, h.decided_seq, r.identifier, r.manifest, r.message";

    /// <summary>The journal row <c>r</c> of the received event of a row <c>h</c> not decided yet (none once decided: only a first decision is recorded).</summary>
    public static string ReceivedJoin(string journalTable) =>
        $"LEFT JOIN {journalTable} r ON h.decided_seq IS NULL AND r.persistence_id = h.persistence_id AND r.sequence_number = h.received_seq";

    /// <summary>The row at the reader's current record, as <see cref="Columns"/> selected it.</summary>
    public static CallRow Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4), !reader.IsDBNull(5))
        {
            ReceivedRow = reader.IsDBNull(8) ? null : new StoredEvent(reader.GetInt32(6), reader.GetString(7), (byte[])reader.GetValue(8)),
        };
}
