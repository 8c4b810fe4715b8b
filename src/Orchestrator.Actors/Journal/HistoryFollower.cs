using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Akka.Event;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Keeps the history read model (<see cref="CallDirectoryStore.HistoryTable"/>) off the journal's commit: one follower
/// per journal reads the committed rows in global order after its durable high-water mark and writes the model in large
/// batches in transactions of its own, each moving the mark with it. Woken by the journal writer's commits (which hand it
/// the events they wrote, so it need not open those rows again), with a timer as fallback; at start it catches up from
/// its mark (a model missing or of an older layout is rebuilt from position 0 in the background). Supervised: a failed
/// batch is rolled back whole and the follower starts again from its mark after a pause, so no row is lost or doubled.
/// Readers wait for it with <see cref="CaughtUpAsync"/> (read-your-writes).
/// </summary>
public sealed partial class HistoryFollower
{
    /// <summary>The journal plugin setting that runs the follower in this process (default on; off: the model is not written here).</summary>
    public const string Setting = "orchestrator-history-follower";

    /// <summary>The call events the model is folded from (the others do not move it).</summary>
    private static readonly Type[] Folded = [typeof(CallReceived), typeof(CallReceivedAndDecided), typeof(CallDecided),
        typeof(CallCompleted), typeof(CallInterrupted)];
    private static readonly string[] Manifests = JournalScan.ManifestsOf(Folded);
    private static readonly string ManifestParameters = string.Join(", ", Manifests.Select((_, i) => "@m" + i));

    private readonly CallDirectoryStore _store;
    private readonly JournalIntegrity _integrity;
    private readonly ILoggingAdapter _log;
    private readonly HistoryFollowerSettings _settings;
    private readonly CancellationTokenSource _stop = new();
    private readonly HandedOverEvents _handedOver = new(Folded.ToHashSet());
    /// <summary>Told after each of the follower's commits (the checkpointer: the model's writes grow the log too).</summary>
    private readonly Action? _afterCommit;
    private long _position = -1;
    /// <summary>Call events handed over by the journal's commits so far (how busy the journal is).</summary>
    private long _committed;
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _hurry = NewSignal();
    private TaskCompletionSource _advanced = NewSignal();

    /// <summary>A follower of <paramref name="store"/>'s journal, started once <paramref name="ready"/> completes; none runs when <paramref name="settings"/> is null.</summary>
    public HistoryFollower(CallDirectoryStore store, JournalIntegrity integrity, ILoggingAdapter log, Task ready, HistoryFollowerSettings? settings,
        Action? afterCommit = null)
    {
        _afterCommit = afterCommit;
        _store = store;
        _integrity = integrity;
        _log = log;
        _settings = settings ?? HistoryFollowerSettings.Default;
        Running = settings is not null;
        Completion = Running
            ? Task.Run(() => RunAsync(ready))
            : Task.CompletedTask;
    }

    /// <summary>Whether this follower writes the model (off: another process's follower does, or nobody).</summary>
    public bool Running { get; }

    /// <summary>The journal position the model has been committed up to in this process (-1 before the follower started).</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>Ends once <see cref="Stop"/> was called and the batch under way has ended.</summary>
    public Task Completion { get; }

    public void Stop() => _stop.Cancel();

    /// <summary>The position of the journal's last committed row: what a reader that must see every write so far waits for.</summary>
    public Task<long> JournalEndAsync(CancellationToken cancellationToken) => _store.JournalEndAsync(cancellationToken);

    /// <summary>A journal write was committed (its call events, handed over so they are not opened again).</summary>
    public void Committed(HistoryModelChanges history)
    {
        if (!Running) return;
        foreach (var e in history.Events) _handedOver.Add(e);
        Interlocked.Add(ref _committed, history.Events.Length);
        _wake.TrySetResult();
    }

    /// <summary>
    /// Completes true once the model holds every journal row up to <paramref name="target"/> (with this process's follower,
    /// woken at once; without one, by the mark committed in the database), false when <paramref name="bound"/> passed first.
    /// </summary>
    public async Task<bool> CaughtUpAsync(long target, TimeSpan bound, CancellationToken cancellationToken)
    {
        if (!Running) return await _store.HistoryMarkAsync(cancellationToken) >= target;
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var advanced = Volatile.Read(ref _advanced);
            if (Position >= target) return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || Completion.IsCompleted) return false;
            _hurry.TrySetResult();
            _wake.TrySetResult();
            await Task.WhenAny(advanced.Task, Task.Delay(left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task RunAsync(Task ready)
    {
        try
        {
            await ready;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error("history read model: not followed (the call directory could not be prepared: {0})", e.Message);
            return;
        }
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(() => failures = 0, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 << Math.Min(++failures, 9)));
                _log.Warning("history read model: a batch failed after journal position {0} ({1}); nothing of it was kept, the follower starts again from there in {2:0.0} s",
                    Position, e.Message, pause.TotalSeconds);
                try { await Task.Delay(pause, _stop.Token); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private async Task FollowAsync(Action succeeded, CancellationToken cancellationToken)
    {
        var (mark, rebuilt) = await _store.PrepareHistoryModelAsync(cancellationToken);
        if (rebuilt)
            _log.Info("history read model: none of this layout in {0} (a journal written before it, the older call_id-keyed table, or a table dropped): " +
                "built again from the journal in the background; history and replay wait for it", _store.HistoryTable);
        var seals = await _store.HistorySealsAsync(cancellationToken);
        // Counts edited while no follower ran would be sealed again by the next batch: the model is rebuilt instead.
        if (_integrity.CountCheck(null, null, null).Begin(seals.Mark, seals.MarkSeal, seals.Tallies, mark) is { } refusal)
        {
            _log.Error("{0}: it is built again from the journal in the background; history and replay wait for it", _integrity.ModelLine(refusal));
            (mark, _) = await _store.PrepareHistoryModelAsync(cancellationToken, rebuild: true);
            seals = new HistorySeals(default, null, []);
        }
        var tallies = HistoryTallies.From(seals.Tallies);
        Advance(mark);
        await using var read = await _store.OpenAsync(cancellationToken);
        await using var batch = await OpenBatchAsync(cancellationToken);
        var fold = new HistoryModelFold(await OpenRowsAsync(read, cancellationToken), OpenReceived, _integrity.SealDecisionRecord);
        while (true)
        {
            // Reset before reading: a commit landing from here on wakes the next round.
            Interlocked.Exchange(ref _wake, NewSignal());
            Interlocked.Exchange(ref _hurry, NewSignal());
            var more = await StepAsync(read, batch, fold, tallies, cancellationToken);
            _handedOver.EndRound();
            succeeded();
            if (!more) await WaitForWorkAsync(cancellationToken);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake);
        if (!wake.Task.IsCompleted) await Task.WhenAny(wake.Task, Task.Delay(_settings.Idle, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        // Commits arriving together make one batch, unless a reader is waiting for them; a busy journal's, a larger one.
        var hurry = Volatile.Read(ref _hurry);
        var from = Volatile.Read(ref _committed);
        var started = Stopwatch.GetTimestamp();
        do
        {
            if (hurry.Task.IsCompleted) return;
            await Task.WhenAny(hurry.Task, Task.Delay(_settings.Gather, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        } while (!hurry.Task.IsCompleted && _settings.GatherMore(Volatile.Read(ref _committed) - from, Stopwatch.GetElapsedTime(started)));
    }

    /// <summary>One batch: the journal's rows after the mark (at most <see cref="HistoryFollowerSettings.BatchRows"/>) folded and written; true when more are waiting.</summary>
    private async Task<bool> StepAsync(DbConnection read, HistoryModelBatch batch, HistoryModelFold fold, HistoryTallies tallies,
        CancellationToken cancellationToken)
    {
        var after = Position;
        var end = await _store.JournalEndAsync(read, cancellationToken);
        if (end <= after) return false;
        var rows = await ReadRowsAsync(read, after, end, cancellationToken);
        var full = rows.Count >= _settings.BatchRows;
        var upto = full ? rows[^1].Position : end;
        if (_store.IsPostgres) upto = SettledUpTo(after, rows, upto);
        if (upto <= after) return false;
        var events = new List<FollowedEvent>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Position > upto) break;
            if (!row.IsCallEvent || CallDirectoryChanges.SessionOf(row.PersistenceId) is null) continue;
            if (Open(row) is { } evt) events.Add(new FollowedEvent(row.Position, row.PersistenceId, row.SequenceNr, evt));
        }
        var changes = await fold.FoldAsync(events, (call, persistenceId) => batch.RowOfAsync(call, persistenceId, cancellationToken));
        var (counted, total) = tallies.Stage(changes);
        var before = _settings.BeforeCommit;
        await batch.WriteAsync(changes, _integrity.SealCounts(counted, new HistoryMark(upto, total)),
            before is null ? null : () => before(upto, cancellationToken), cancellationToken);
        _afterCommit?.Invoke();
        tallies.Keep(counted, total);
        Advance(upto);
        return full && upto == rows[^1].Position;
    }

    private CallEvent? Open(JournalPlace row)
    {
        if (_handedOver.Take(row.PersistenceId, row.SequenceNr) is { } handedOver) return handedOver;
        try
        {
            return _integrity.OpenStored(row.PersistenceId, row.SequenceNr, row.Stored
                ?? throw new InvalidOperationException($"journal row {row.Position} ({row.PersistenceId} #{row.SequenceNr}) was not read back")) as CallEvent;
        }
        catch (JournalIntegrityException e)
        {
            // The journal's readers and the session refuse this row too; the model leaves it out rather than show it.
            _log.Error("history read model: {0}; left out of the model", e.Message);
            return null;
        }
    }

    private void Advance(long position)
    {
        Volatile.Write(ref _position, position);
        Interlocked.Exchange(ref _advanced, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
