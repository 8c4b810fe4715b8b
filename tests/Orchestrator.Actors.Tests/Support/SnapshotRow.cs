using System.Data.Common;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>One row of the snapshot table, read straight from the database.</summary>
public sealed record SnapshotRow(string PersistenceId, long SequenceNr, string Manifest, int SerializerId, byte[] Payload)
{
    public bool Equals(SnapshotRow? other) => other is not null && PersistenceId == other.PersistenceId && SequenceNr == other.SequenceNr &&
        Manifest == other.Manifest && SerializerId == other.SerializerId && Payload.AsSpan().SequenceEqual(other.Payload);

    public override int GetHashCode() => HashCode.Combine(PersistenceId, SequenceNr);

    public static string Select(string table) =>
        $"SELECT persistence_id, sequence_number, manifest, serializer_id, snapshot FROM {table} ORDER BY persistence_id, sequence_number";

    public static IReadOnlyList<SnapshotRow> ReadAll(DbDataReader reader)
    {
        var rows = new List<SnapshotRow>();
        while (reader.Read())
            rows.Add(new SnapshotRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), (byte[])reader.GetValue(4)));
        return rows;
    }

    /// <summary>
    /// Whether the sessions' snapshotting has come to rest: each session with at least <paramref name="every"/> events
    /// holds exactly one snapshot, less than <paramref name="every"/> events from its end (none due, none being saved,
    /// older ones deleted); the others hold none.
    /// </summary>
    public static bool Settled(IJournalBackend backend, int every)
    {
        var snapshots = backend.ReadSnapshotRows().ToLookup(r => r.PersistenceId);
        return backend.ReadJournalRows().Where(r => r.PersistenceId.StartsWith("session-", StringComparison.Ordinal)).GroupBy(r => r.PersistenceId).All(session =>
        {
            var highest = session.Max(r => r.SequenceNr);
            var held = snapshots[session.Key].ToList();
            return highest < every ? held.Count == 0 : held.Count == 1 && held[0].SequenceNr > highest - every;
        });
    }
}
