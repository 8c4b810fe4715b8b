using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>One row of the snapshot table, read straight from the database.</summary>
public sealed record SnapshotRow(string PersistenceId, long SequenceNr, string Manifest, int SerializerId, byte[] Payload)
{
    public bool Equals(SnapshotRow? other) => other is not null && PersistenceId == other.PersistenceId && SequenceNr == other.SequenceNr &&
        Manifest == other.Manifest && SerializerId == other.SerializerId && Payload.AsSpan().SequenceEqual(other.Payload);

    public override int GetHashCode() => HashCode.Combine(PersistenceId, SequenceNr);
}

public static class SnapshotRows
{
    /// <summary>
    /// Whether the sessions' snapshotting has come to rest: each session with at least <paramref name="every"/> events
    /// holds exactly one snapshot, less than <paramref name="every"/> events from its end (none due, none being saved,
    /// older ones deleted); the others hold none.
    /// </summary>
    public static bool Settled(SqliteBackend backend, int every)
    {
        var snapshots = Read(backend).ToLookup(r => r.PersistenceId);
        return backend.ReadSessionRows().GroupBy(r => r.PersistenceId).All(session =>
        {
            var highest = session.Max(r => r.SequenceNr);
            var held = snapshots[session.Key].ToList();
            return highest < every ? held.Count == 0 : held.Count == 1 && held[0].SequenceNr > highest - every;
        });
    }

    public static IReadOnlyList<SnapshotRow> Read(SqliteBackend backend)
    {
        using var connection = new SqliteConnection($"Data Source={backend.Sqlite.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, manifest, serializer_id, snapshot FROM snapshot ORDER BY persistence_id, sequence_number";
        using var reader = command.ExecuteReader();
        var rows = new List<SnapshotRow>();
        while (reader.Read())
            rows.Add(new SnapshotRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), (byte[])reader.GetValue(4)));
        return rows;
    }
}
