using System.Data.Common;
using Akka.Event;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>A journal row as the follower reads it: its place, when it was written, and its stored event when it is a call event (else null).</summary>
internal sealed record JournalPlace(long Position, string PersistenceId, long SequenceNr, long Created, StoredEvent? Stored);

public sealed partial class HistoryFollower
{
    /// <summary>A gap in PostgreSQL's positions younger than this may be a transaction still committing; older ones are rolled back for good.</summary>
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(2);

    private readonly Dictionary<long, DateTime> _gapsSeen = [];

    /// <summary>The journal's rows in (<paramref name="after"/>, <paramref name="end"/>], every one (their places), the call events' bytes.</summary>
    private async Task<List<JournalPlace>> ReadRowsAsync(DbConnection read, long after, long end, CancellationToken cancellationToken)
    {
        await using var command = read.CreateCommand();
        var names = string.Join(", ", Manifests.Select((_, i) => "@m" + i));
        command.CommandText =
            $"SELECT ordering, persistence_id, sequence_number, created, identifier, manifest, CASE WHEN manifest IN ({names}) THEN message END " +
            $"FROM {_store.JournalTable} WHERE ordering > @after AND ordering <= @end ORDER BY ordering LIMIT {_settings.BatchRows}";
        Add(command, "@after", after);
        Add(command, "@end", end);
        for (var i = 0; i < Manifests.Length; i++) Add(command, "@m" + i, Manifests[i]);
        var rows = new List<JournalPlace>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new JournalPlace(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(6) ? null : new StoredEvent(reader.GetInt32(4), reader.GetString(5), (byte[])reader.GetValue(6))));
        return rows;
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
        var connection = await _store.OpenAsync(cancellationToken);
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
