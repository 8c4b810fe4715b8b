using System.Threading.Channels;

namespace Orchestrator.Actors.Journal;

/// <summary>One submission to the <see cref="JournalWriter"/>: journal rows (maybe none) and the call directory changes that go with them.</summary>
internal sealed record JournalWrite(IReadOnlyList<JournalRow> Rows, CallDirectoryChanges Changes, Action<Exception?> Then);

/// <summary>
/// The journal's single writer: takes submissions in arrival order and writes as many as have arrived in one
/// transaction (those arriving while one commits form the next), with statements prepared once on its own connection.
/// Each submission's callback runs once its transaction is committed (null) or failed (the failure), in submission
/// order, on the writer's loop. When a group fails, each of its submissions is tried again alone, so one writer's
/// broken write (a sequence number already taken) fails only that writer.
/// </summary>
internal sealed class JournalWriter
{
    private readonly Channel<JournalWrite> _queue = Channel.CreateUnbounded<JournalWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CallDirectoryStore _store;
    private readonly Task _ready;
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly Action<HistoryModelChanges> _committed;
    private JournalBatch? _batch;

    /// <param name="committed">Told of each committed write's call events (the history read model's follower), on the writer's loop.</param>
    /// <param name="checkpointer">SQLite's: told of each commit (null on PostgreSQL).</param>
    public JournalWriter(CallDirectoryStore store, Task ready, Action<HistoryModelChanges> committed, SqliteCheckpointer? checkpointer)
    {
        _store = store;
        _ready = ready;
        _committed = committed;
        _checkpointer = checkpointer;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Completion = done.Task;
        new Thread(() => Run(done)) { IsBackground = true, Name = "journal writer" }.Start();
    }

    /// <summary>Ends when <see cref="Stop"/> was called and everything submitted before has been handled.</summary>
    public Task Completion { get; }

    public void Submit(JournalWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
            write.Then(new InvalidOperationException("the journal writer is stopped (the actor system is shutting down)"));
    }

    public void Stop() => _queue.Writer.TryComplete();

    /// <summary>
    /// The loop, on a thread of its own: SQLite's calls block (the wait for the write lock, the log's fsync at every
    /// commit), and a thread-pool thread blocked in them is one fewer for the sessions, on two cores, until the pool
    /// adds threads. Its callbacks complete tasks whose continuations run on the pool.
    /// </summary>
    private void Run(TaskCompletionSource done)
    {
        try
        {
            Loop();
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }

    private void Loop()
    {
        Exception? broken = null;
        try
        {
            _ready.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            broken = new InvalidOperationException($"the call directory could not be prepared ({e.Message})", e);
        }

        var group = new List<JournalWrite>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            while (_queue.Reader.TryRead(out var item)) group.Add(item);
            var failure = broken ?? Write(group);
            if (failure is not null && broken is null && group.Count > 1)
                foreach (var write in group) Answer(write, Write([write]));
            else
                foreach (var write in group) Answer(write, failure);
        }
        _batch?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    // SQLite's statements complete synchronously; PostgreSQL's are awaited on this thread.
    private Exception? Write(List<JournalWrite> group) => WriteAsync(group).GetAwaiter().GetResult();

    private async Task<Exception?> WriteAsync(List<JournalWrite> group)
    {
        var rows = group.Count == 1 ? group[0].Rows : group.SelectMany(g => g.Rows).ToList();
        var opens = group.SelectMany(g => g.Changes.Opens).ToList();
        var closes = group.SelectMany(g => g.Changes.Closes).ToList();
        var approvals = ApprovalIndexChanges.Concat(group.Select(g => g.Changes.Approvals));
        // The history read model is not written here: its follower reads what was committed (and is handed these events).
        var history = HistoryModelChanges.Concat(group.Select(g => g.Changes.History));
        try
        {
            if (rows.Count > 0 || opens.Count > 0 || closes.Count > 0 || !approvals.IsEmpty)
            {
                _batch ??= await OpenBatchAsync();
                await _batch.WriteAsync(rows, opens, closes, approvals, CancellationToken.None);
                _checkpointer?.Wrote();
            }
            if (!history.IsEmpty) _committed(history);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fresh connection next time: this one may be broken.
            var batch = _batch;
            _batch = null;
            if (batch is not null) await batch.DisposeAsync();
            return e;
        }
    }

    private static void Answer(JournalWrite write, Exception? failure)
    {
        try
        {
            write.Then(failure);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A callback only completes a task or tells an actor; one that throws must not stop the others' writes.
            Console.Error.WriteLine($"journal writer: a write's callback failed: {e.Message}");
        }
    }

    /// <summary>A batch on a fresh connection; the connection is closed again when the batch cannot be made on it (statements prepared at once).</summary>
    private async Task<JournalBatch> OpenBatchAsync()
    {
        var connection = await _store.OpenAsync(CancellationToken.None, pooled: false);
        try
        {
            return _store.CreateBatch(connection, _writerUuid);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
