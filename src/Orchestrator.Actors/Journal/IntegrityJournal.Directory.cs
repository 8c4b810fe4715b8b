using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The journal keeps the call directory (<see cref="CallDirectory"/>) in the safe order: a call's row is committed
/// before its first event is written (a row without events only misdirects to a session that answers "not found"),
/// and its last sequence number after its terminal event is (a crash in between leaves it open: its session is merely
/// woken). Writes that wait for their rows are handed back to the journal actor in the order they were sealed, and any
/// write queued behind them waits its turn, so each persistence id's events are still written in order.
/// </summary>
public sealed partial class IntegrityJournal
{
    private readonly CallDirectory _directory;
    /// <summary>Writes handed to the directory writer and not yet back (touched on the journal actor only).</summary>
    private int _queued;

    /// <summary>Writes <paramref name="sealedWrites"/> (the sealed forms of <paramref name="writes"/>, same order) with their directory rows.</summary>
    private Task<IImmutableList<Exception>> WriteWithDirectory(IReadOnlyList<AtomicWrite> writes, IImmutableList<AtomicWrite> sealedWrites, CancellationToken cancellationToken)
    {
        var changes = writes.Select(w => CallDirectoryChanges.Of([w])).ToImmutableArray();
        var opens = changes.SelectMany(c => c.Opens).ToImmutableArray();
        if (opens.IsEmpty && _queued == 0) return WriteThenClose(sealedWrites, changes, cancellationToken);

        var result = new TaskCompletionSource<IImmutableList<Exception>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var self = Self;
        _queued++;
        _directory.Writer.Submit(new CallDirectoryChanges(opens, []),
            failure => self.Tell(new RowsWritten(sealedWrites, changes, failure, result, cancellationToken)));
        return result.Task;
    }

    private bool ReceiveRowsWritten(object message)
    {
        if (message is not RowsWritten written) return false;
        _queued--;
        if (written.Failure is { } failure)
            written.Result.SetException(new InvalidOperationException(
                $"journal {JournalIntegrity.Get(Context.System).JournalName}: the call directory rows could not be written ({failure.Message}); the events were not written", failure));
        else
            WriteThenClose(written.Writes, written.Changes, written.CancellationToken).ContinueWith(task =>
            {
                if (task.IsCompletedSuccessfully) written.Result.SetResult(task.Result);
                else written.Result.SetException(task.Exception?.InnerExceptions ?? [new TaskCanceledException(task)]);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>The events, then the closes of the calls whose terminal events were written.</summary>
    private Task<IImmutableList<Exception>> WriteThenClose(IImmutableList<AtomicWrite> sealedWrites, ImmutableArray<CallDirectoryChanges> changes, CancellationToken cancellationToken)
    {
        var written = base.WriteMessagesAsync(sealedWrites, cancellationToken);
        if (changes.All(c => c.Closes.IsEmpty)) return written;
        var log = Context.GetLogger();
        var writer = _directory.Writer;
        return written.ContinueWith(task =>
        {
            if (task.IsCompletedSuccessfully)
            {
                var stored = task.Result;
                var closes = changes.Where((_, i) => stored is null || stored.Count <= i || stored[i] is null).SelectMany(c => c.Closes).ToImmutableArray();
                if (!closes.IsEmpty)
                    writer.Submit(new CallDirectoryChanges([], closes), failure =>
                    {
                        // Left open, the calls' sessions are only woken at the next start: nothing is lost.
                        if (failure is not null) log.Warning("call directory: {0} calls stay open in the directory ({1})", closes.Length, failure.Message);
                    });
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
