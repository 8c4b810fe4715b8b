using System.Data.Common;
using System.Globalization;
using Akka.Event;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// A journal row as the follower reads it: its place, when it was written, whether it is a call event, and its stored
/// event when the follower must open it (a call event this process did not hand over; else null).
/// </summary>
internal sealed record JournalPlace(long Position, string PersistenceId, long SequenceNr, long Created, bool IsCallEvent, StoredEvent? Stored);

public sealed partial class HistoryFollower
{
    /// <summary>A gap in PostgreSQL's positions younger than this may be a transaction still committing; older ones are rolled back for good.</summary>
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(2);

    private readonly Dictionary<long, DateTime> _gapsSeen = [];

    /// <summary>
    /// The journal's rows in (<paramref name="after"/>, <paramref name="end"/>], every one (their places), and the bytes
    /// of the call events the writer did not hand over (<see cref="Committed"/>): after a start or a backlog, every one;
    /// while the follower keeps up, none — the events' bytes (~1.7 KB a call) are not read back and copied again.
    /// </summary>
    private async Task<List<JournalPlace>> ReadRowsAsync(DbConnection read, long after, long end, CancellationToken cancellationToken)
    {
        var rows = new List<JournalPlace>();
        await using (var command = read.CreateCommand())
        {
            command.CommandText =
                $"SELECT ordering, persistence_id, sequence_number, created, CASE WHEN manifest IN ({ManifestParameters}) THEN 1 ELSE 0 END " +
                $"FROM {_store.JournalTable} WHERE ordering > @after AND ordering <= @end ORDER BY ordering LIMIT {_settings.BatchRows}";
            AddRange(command, after, end);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new JournalPlace(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture) != 0, null));
        }
        var unseen = new Dictionary<long, int>();
        for (var i = 0; i < rows.Count; i++)
            if (rows[i].IsCallEvent && !_handedOver.Holds(rows[i].PersistenceId, rows[i].SequenceNr)) unseen[rows[i].Position] = i;
        if (unseen.Count == 0) return rows;

        await using (var command = read.CreateCommand())
        {
            command.CommandText = $"SELECT ordering, identifier, manifest, message FROM {_store.JournalTable} " +
                $"WHERE ordering > @after AND ordering <= @end AND manifest IN ({ManifestParameters})";
            AddRange(command, unseen.Keys.Min() - 1, unseen.Keys.Max());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                if (unseen.TryGetValue(reader.GetInt64(0), out var i))
                    rows[i] = rows[i] with { Stored = new StoredEvent(reader.GetInt32(1), reader.GetString(2), (byte[])reader.GetValue(3)) };
        }
        return rows;
    }

    private static void AddRange(DbCommand command, long after, long end)
    {
        Add(command, "@after", after);
        Add(command, "@end", end);
        for (var i = 0; i < Manifests.Length; i++) Add(command, "@m" + i, Manifests[i]);
    }

    /// <summary>The model's calls not ended yet, by call id (<see cref="CallRow"/>; their received events opened only when their decisions come).</summary>
    private async Task<Dictionary<string, CallRow>> OpenRowsAsync(DbConnection read, CancellationToken cancellationToken)
    {
        var open = new Dictionary<string, CallRow>(StringComparer.Ordinal);
        // No journal yet (a fresh data directory): no call can be open in the model either.
        if (!await _store.JournalExistsAsync(read, cancellationToken)) return open;
        await using var command = read.CreateCommand();
        command.CommandText = $"SELECT {CallRow.Columns}, h.call_id FROM {_store.HistoryTable} h {CallRow.ReceivedJoin(_store.JournalTable)} " +
            "WHERE h.outcome IS NULL ORDER BY h.position";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            open.TryAdd(reader.GetString(9), CallRow.Read(reader));
        return open;
    }

    /// <summary>A row's received event from its journal row, its seal checked (null, logged, when it does not open).</summary>
    private CallReceived? OpenReceived(CallRow call)
    {
        try
        {
            return _integrity.OpenStored(call.PersistenceId, call.ReceivedSequenceNr, call.ReceivedRow!) as CallReceived;
        }
        catch (JournalIntegrityException e)
        {
            _log.Error("history read model: {0}; its decision record is left out, replay reports it missing", e.Message);
            return null;
        }
    }

    /// <summary>
    /// PostgreSQL hands out positions before transactions commit, so a missing one may still appear: the mark stops
    /// before a gap until it has stayed for <see cref="GapPatience"/> or the row after it is older than that (a
    /// transaction rolled back). SQLite commits one writer at a time in position order: its gaps are final.
    /// </summary>
    private long SettledUpTo(long after, List<JournalPlace> rows, long upto)
    {
        var expected = after + 1;
        var now = DateTime.UtcNow;
        foreach (var row in rows)
        {
            if (row.Position > upto) break;
            if (row.Position > expected && !Settled(expected, row.Created, now)) return expected - 1;
            expected = row.Position + 1;
        }
        _gapsSeen.Clear();
        return upto;
    }

    private bool Settled(long gap, long createdTicks, DateTime now)
    {
        if (now.Ticks - createdTicks > GapPatience.Ticks) return true;
        if (!_gapsSeen.TryGetValue(gap, out var seen))
        {
            _gapsSeen[gap] = now;
            // Come back once it may have settled, whatever else happens meanwhile.
            _ = Task.Delay(GapPatience).ContinueWith(_ => _wake.TrySetResult(), TaskScheduler.Default);
            return false;
        }
        return now - seen >= GapPatience;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The model's batch on a connection of its own; the connection is closed again when the batch cannot be made on it.</summary>
    private async Task<HistoryModelBatch> OpenBatchAsync(CancellationToken cancellationToken)
    {
        var connection = await _store.OpenAsync(cancellationToken, pooled: false);
        try
        {
            return HistoryModelBatch.For(connection, _store);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
