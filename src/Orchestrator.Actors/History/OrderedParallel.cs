using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Orchestrator.Actors.History;

/// <summary>
/// Maps a sequence on several cores and gives the results back in the sequence's order, as a sequential map would:
/// the source is read on one task in batches, each batch mapped on a task of its own (at most <c>parallelism</c> at a
/// time: a batch starts only when the queue of <c>parallelism</c> − 1 has room, beside the one being handed out), and
/// the batches handed out in the order they were read. A map that throws ends the sequence at that item with its
/// exception, after every earlier result was handed out, as sequentially. Ended early (cancelled, failed, or left by its
/// reader), it ends only once every batch it started has been mapped: what runs next never shares the cores with the
/// maps of one abandoned.
/// </summary>
public static class OrderedParallel
{
    public const int DefaultBatch = 256;

    public static async IAsyncEnumerable<TOut> SelectAsync<TIn, TOut>(IAsyncEnumerable<TIn> source, Func<TIn, TOut> map, int parallelism,
        int batch = DefaultBatch, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (parallelism <= 1)
        {
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return map(item);
            yield break;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<Task<Mapped<TOut>>>(new BoundedChannelOptions(parallelism - 1) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadAsync(source, map, batch, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var mapped in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var done = await mapped.ConfigureAwait(false);
                for (var i = 0; i < done.Count; i++) yield return done.Results[i];
                if (done.Failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(done.Failure);
            }
            await reader.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await reader.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            // The batches queued and not handed out are mapping already (a map cannot be stopped): they are waited for.
            while (batches.Reader.TryRead(out var queued)) await queued.ConfigureAwait(false);
        }
    }

    /// <summary>A batch's results up to its first failure (then <see cref="Failure"/>, and nothing after it).</summary>
    private readonly record struct Mapped<T>(T[] Results, int Count, Exception? Failure);

    private static async Task ReadAsync<TIn, TOut>(IAsyncEnumerable<TIn> source, Func<TIn, TOut> map, int batch,
        ChannelWriter<Task<Mapped<TOut>>> batches, CancellationToken cancellationToken)
    {
        var items = new TIn[batch];
        var count = 0;
        Exception? failure = null;
        try
        {
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                items[count++] = item;
                if (count < batch) continue;
                await StartAsync(batches, items, count, map, cancellationToken).ConfigureAwait(false);
                items = new TIn[batch];
                count = 0;
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        try
        {
            // What was read before a failure is handed out before it, as a sequential reader would.
            if (count > 0) await StartAsync(batches, items, count, map, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            failure ??= e;
        }
        batches.Complete(failure);
    }

    /// <summary>Starts mapping a batch once the queue has room for it, and queues it: a batch cancelled before that never starts.</summary>
    private static async Task StartAsync<TIn, TOut>(ChannelWriter<Task<Mapped<TOut>>> batches, TIn[] items, int count, Func<TIn, TOut> map,
        CancellationToken cancellationToken)
    {
        if (!await batches.WaitToWriteAsync(cancellationToken).ConfigureAwait(false)) return; // completed: only this reader completes it
        // The queue's only writer: the room it waited for is still there.
        batches.TryWrite(MapAsync(items, count, map));
    }

    private static Task<Mapped<TOut>> MapAsync<TIn, TOut>(TIn[] items, int count, Func<TIn, TOut> map) => Task.Run(() =>
    {
        var results = new TOut[count];
        for (var i = 0; i < count; i++)
        {
            try { results[i] = map(items[i]); }
            catch (Exception e) { return new Mapped<TOut>(results, i, e); }
        }
        return new Mapped<TOut>(results, count, null);
    });
}
