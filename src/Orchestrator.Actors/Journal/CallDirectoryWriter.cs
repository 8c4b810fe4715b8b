using System.Threading.Channels;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Writes the journal's call directory changes in arrival order, as many as have arrived in one transaction (the
/// writes waiting while one commits form the next). Each submission's callback runs after its changes are committed
/// (or failed), in submission order, on the writer's loop: the journal relies on that order to write events in the
/// order they were sealed.
/// </summary>
internal sealed class CallDirectoryWriter
{
    private readonly Channel<(CallDirectoryChanges Changes, Action<Exception?> Then)> _queue =
        Channel.CreateUnbounded<(CallDirectoryChanges, Action<Exception?>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CallDirectoryStore _store;
    private readonly Task _ready;

    public CallDirectoryWriter(CallDirectoryStore store, Task ready)
    {
        _store = store;
        _ready = ready;
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Ends when <see cref="Stop"/> was called and everything submitted before has been handled.</summary>
    public Task Completion { get; }

    /// <summary>Queues <paramref name="changes"/>; <paramref name="then"/> gets null once they are committed, else the failure.</summary>
    public void Submit(CallDirectoryChanges changes, Action<Exception?> then)
    {
        if (!_queue.Writer.TryWrite((changes, then)))
            then(new InvalidOperationException("the call directory is stopped (the actor system is shutting down)"));
    }

    public void Stop() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        Exception? broken = null;
        try
        {
            await _ready;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            broken = new InvalidOperationException($"the call directory could not be prepared ({e.Message})", e);
        }

        var group = new List<(CallDirectoryChanges Changes, Action<Exception?> Then)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (_queue.Reader.TryRead(out var item)) group.Add(item);
            var failure = broken ?? await WriteAsync(group);
            foreach (var (_, then) in group)
            {
                try
                {
                    then(failure);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A callback only tells an actor; one that throws must not stop the others' writes.
                    Console.Error.WriteLine($"call directory: a write's callback failed: {e.Message}");
                }
            }
        }
    }

    private async Task<Exception?> WriteAsync(List<(CallDirectoryChanges Changes, Action<Exception?> Then)> group)
    {
        var opens = group.SelectMany(g => g.Changes.Opens).ToList();
        var closes = group.SelectMany(g => g.Changes.Closes).ToList();
        if (opens.Count == 0 && closes.Count == 0) return null;
        try
        {
            await using var connection = await _store.OpenAsync(CancellationToken.None);
            await _store.WriteAsync(connection, opens, closes, CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }
}
