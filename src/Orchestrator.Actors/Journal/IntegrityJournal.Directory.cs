using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using Akka.Util;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// How the journal writes: by default through its own <see cref="JournalWriter"/> (<see cref="OwnWriterSetting"/> on):
/// the sealed events as the rows Akka.Persistence.Sql would write (same table, columns, Csv tags, writer uuid,
/// timestamps — its read side, replay and queries read them unchanged) and the calls' directory rows, in ONE
/// transaction per batch of writes from any number of actors. With the setting off, Akka.Persistence.Sql writes the
/// events and the directory is kept around them in the safe order: a call's row committed before its first event is
/// written, its last sequence number after its terminal event is (a crash in between leaves it open: its session is
/// merely woken); those writes are handed back to the journal actor in the order they were sealed.
/// </summary>
public sealed partial class IntegrityJournal
{
    /// <summary>The journal plugin setting that chooses the write path (default on).</summary>
    public const string OwnWriterSetting = "orchestrator-writer";

    private readonly CallDirectory _directory;
    private readonly bool _ownWriter;
    private readonly string _tagSeparator;
    private readonly Akka.Serialization.Serialization _serialization;
    /// <summary>Writes handed to the writer and not yet stored, by persistence id (a recovery waits for its own).</summary>
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    /// <summary>Setting off: writes handed to the directory writer and not yet back (touched on the journal actor only).</summary>
    private int _queued;

    /// <summary>Writes <paramref name="sealedWrites"/> (the sealed forms of <paramref name="writes"/>, same order) with their directory rows.</summary>
    private Task<IImmutableList<Exception>> WriteWithDirectory(IReadOnlyList<AtomicWrite> writes, IImmutableList<AtomicWrite> sealedWrites, CancellationToken cancellationToken)
    {
        var changes = writes.Select(w => CallDirectoryChanges.Of([w])).ToImmutableArray();
        return _ownWriter ? WriteOwn(sealedWrites, changes) : WriteAroundBase(sealedWrites, changes, cancellationToken);
    }

    private Task<IImmutableList<Exception>> WriteOwn(IImmutableList<AtomicWrite> sealedWrites, ImmutableArray<CallDirectoryChanges> changes)
    {
        var now = DateTime.UtcNow.Ticks;
        var rows = new List<JournalRow>();
        foreach (var write in sealedWrites)
        {
            var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
            for (var i = 0; i < events.Count; i++) rows.Add(Row(events[i], now));
        }
        var all = CallDirectoryChanges.Concat(changes);
        var result = new TaskCompletionSource<IImmutableList<Exception>>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var write in sealedWrites) _inFlight[write.PersistenceId] = result.Task;
        _directory.Writer.Submit(new JournalWrite(rows, all, failure =>
        {
            foreach (var write in sealedWrites) _inFlight.TryRemove(new KeyValuePair<string, Task>(write.PersistenceId, result.Task));
            if (failure is null) result.SetResult(null!); // every write stored (WriteMessagesAsync reads null so)
            else result.SetException(failure);
        }));
        return result.Task;
    }

    /// <summary>The row Akka.Persistence.Sql's ByteArrayJournalSerializer makes of <paramref name="repr"/> in Csv tag mode.</summary>
    private JournalRow Row(IPersistentRepresentation repr, long now)
    {
        var (payload, tags) = repr.Payload is Tagged tagged ? (tagged.Payload, tagged.Tags) : (repr.Payload, null);
        var serializer = _serialization.FindSerializerFor(payload);
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
            _ => string.Empty,
        };
        var csv = tags is null || tags.Count == 0 ? string.Empty : _tagSeparator + string.Join(_tagSeparator, tags) + _tagSeparator;
        return new JournalRow(repr.PersistenceId, repr.SequenceNr, repr.Timestamp == 0 ? now : repr.Timestamp, csv,
            serializer.ToBinary(payload), serializer.Identifier, manifest);
    }

    /// <summary>Completes once the writes of <paramref name="persistenceId"/> handed to the writer are stored or failed (a recovery reads the highest sequence number only then).</summary>
    private Task WritesOf(string persistenceId) =>
        _inFlight.TryGetValue(persistenceId, out var writing)
            ? writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            : Task.CompletedTask;

    private Task<IImmutableList<Exception>> WriteAroundBase(IImmutableList<AtomicWrite> sealedWrites, ImmutableArray<CallDirectoryChanges> changes, CancellationToken cancellationToken)
    {
        var before = CallDirectoryChanges.Concat(changes).BeforeEvents;
        if (before.IsEmpty && _queued == 0) return WriteThenClose(sealedWrites, changes, cancellationToken);

        var result = new TaskCompletionSource<IImmutableList<Exception>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var self = Self;
        _queued++;
        _directory.Writer.Submit(new JournalWrite([], before,
            failure => self.Tell(new RowsWritten(sealedWrites, changes, failure, result, cancellationToken))));
        return result.Task;
    }

    private bool ReceiveRowsWritten(object message)
    {
        if (message is not RowsWritten written) return false;
        _queued--;
        if (written.Failure is { } failure)
            written.Result.SetException(new InvalidOperationException(
                $"journal {_integrity.JournalName}: the call directory rows could not be written ({failure.Message}); the events were not written", failure));
        else
            WriteThenClose(written.Writes, written.Changes, written.CancellationToken).ContinueWith(task =>
            {
                if (task.IsCompletedSuccessfully) written.Result.SetResult(task.Result);
                else written.Result.SetException(task.Exception?.InnerExceptions ?? [new TaskCanceledException(task)]);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>The events (Akka.Persistence.Sql), then the closes of the calls whose terminal events were written.</summary>
    private Task<IImmutableList<Exception>> WriteThenClose(IImmutableList<AtomicWrite> sealedWrites, ImmutableArray<CallDirectoryChanges> changes, CancellationToken cancellationToken)
    {
        var written = base.WriteMessagesAsync(sealedWrites, cancellationToken);
        if (changes.All(c => c.AfterEvents.IsEmpty)) return written;
        var log = Context.GetLogger();
        var writer = _directory.Writer;
        return written.ContinueWith(task =>
        {
            if (task.IsCompletedSuccessfully)
            {
                var stored = task.Result;
                var after = CallDirectoryChanges.Concat([.. changes.Where((_, i) => stored is null || stored.Count <= i || stored[i] is null)]).AfterEvents;
                if (!after.IsEmpty)
                    writer.Submit(new JournalWrite([], after, failure =>
                    {
                        // Left open, the calls' sessions are only woken (and the approvals' rows reread) at the next start: nothing is lost.
                        if (failure is not null)
                            log.Warning("call directory: {0} calls and {1} approvals stay open in the directory ({2})",
                                after.Closes.Length, after.Approvals.Closes.Length, failure.Message);
                    }));
            }
            return task;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }

    private sealed record RowsWritten(
        IImmutableList<AtomicWrite> Writes,
        ImmutableArray<CallDirectoryChanges> Changes,
        Exception? Failure,
        TaskCompletionSource<IImmutableList<Exception>> Result,
        CancellationToken CancellationToken);
}
