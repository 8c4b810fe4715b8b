using CsCheck;
using Orchestrator.Actors.History;

namespace Orchestrator.Actors.Tests.History;

/// <summary>
/// <see cref="OrderedParallel.SelectAsync"/> gives what a sequential map gives, in the same order, whatever the batch
/// size and the number of cores — and a map that throws ends the sequence at that item, after every earlier result;
/// a sequence cancelled ends only once the maps it started have ended.
/// </summary>
public sealed class OrderedParallelTests
{
    private static readonly Gen<(int[] Items, int Batch, int Parallelism)> Inputs =
        Gen.Select(Gen.Int[-1000, 1000].Array[0, 700], Gen.Int[1, 64], Gen.Int[1, 6]);

    private static async IAsyncEnumerable<int> Source(IEnumerable<int> items, bool yieldNow)
    {
        foreach (var item in items)
        {
            // Some sources complete synchronously, some hop threads between items: both orders of work are seen.
            if (yieldNow && item % 7 == 0) await Task.Yield();
            yield return item;
        }
    }

    private static async Task<List<T>> All<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items) all.Add(item);
        return all;
    }

    [Fact]
    public async Task Results_come_back_in_the_order_of_the_source_as_a_sequential_map_gives_them_on_at_most_its_cores()
    {
        await Inputs.SampleAsync(async input =>
        {
            var (items, batch, parallelism) = input;
            // A map whose cost varies, so later batches often finish first.
            static string Map(int x)
            {
                Thread.SpinWait(Math.Abs(x % 13) * 200);
                return $"<{x}>";
            }
            int running = 0, mostRunning = 0;
            string Counted(int x)
            {
                InterlockedMax(ref mostRunning, Interlocked.Increment(ref running));
                try { return Map(x); }
                finally { Interlocked.Decrement(ref running); }
            }
            var parallel = await All(OrderedParallel.SelectAsync(Source(items, yieldNow: parallelism % 2 == 0), Counted, parallelism, batch));
            Assert.Equal(items.Select(Map), parallel);
            Assert.InRange(mostRunning, 0, parallelism);
        }, iter: 60);
    }

    [Fact]
    public async Task A_map_that_throws_ends_the_sequence_at_that_item_after_every_earlier_result()
    {
        await Gen.Select(Inputs, Gen.Int[0, 699]).SampleAsync(async sample =>
        {
            var ((items, batch, parallelism), at) = sample;
            if (items.Length == 0) return;
            var failing = at % items.Length;
            var seen = new List<int>();
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await foreach (var i in OrderedParallel.SelectAsync(Source(Enumerable.Range(0, items.Length), yieldNow: true),
                                   i => i >= failing && i % 3 == failing % 3 ? throw new InvalidOperationException($"item {i}") : i, parallelism, batch))
                    seen.Add(i);
            });
            Assert.Equal($"item {failing}", failure.Message);
            Assert.Equal(Enumerable.Range(0, failing), seen);
        }, iter: 60);
    }

    [Fact]
    public async Task A_source_that_fails_fails_the_sequence_after_what_it_read_before()
    {
        static async IAsyncEnumerable<int> Failing()
        {
            for (var i = 0; i < 1000; i++)
            {
                if (i == 777) throw new IOException("the journal went away");
                await Task.Yield();
                yield return i;
            }
        }
        var seen = new List<int>();
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var i in OrderedParallel.SelectAsync(Failing(), i => i * 2, parallelism: 3, batch: 50)) seen.Add(i);
        });
        Assert.Equal("the journal went away", failure.Message);
        Assert.Equal(Enumerable.Range(0, 777).Select(i => i * 2), seen);
    }

    [Fact]
    public async Task A_reader_that_stops_early_stops_the_reading_of_the_source()
    {
        var read = 0;
        async IAsyncEnumerable<int> Endless()
        {
            for (var i = 0; ; i++)
            {
                Interlocked.Increment(ref read);
                await Task.Yield();
                yield return i;
            }
        }
        var taken = new List<int>();
        await foreach (var i in OrderedParallel.SelectAsync(Endless(), i => i, parallelism: 2, batch: 10))
        {
            taken.Add(i);
            if (taken.Count == 25) break;
        }
        Assert.Equal(Enumerable.Range(0, 25), taken);
        var after = Volatile.Read(ref read);
        // Bounded: at most the batches in flight were read ahead, and nothing more once the reader left.
        Assert.InRange(after, 25, 25 + 10 * 5);
        Assert.Equal(after, Volatile.Read(ref read));
    }

    [Fact]
    public async Task A_sequence_left_early_ends_only_once_every_batch_it_started_has_been_mapped()
    {
        using var gate = new ManualResetEventSlim();
        var sourceEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int running = 0, mostRunning = 0, finishedAfterTheEnd = 0, ended = 0;
        async IAsyncEnumerable<int> Endless()
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Task.Yield();
                    yield return i;
                }
            }
            finally
            {
                sourceEnded.TrySetResult();
            }
        }
        int Map(int i)
        {
            if (i < 10) return i; // the first batch is handed out; every later one waits at the gate
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostRunning, now);
            if (now == 2) full.TrySetResult(); // parallelism 3: two queued beside the one being handed out
            gate.Wait();
            if (Volatile.Read(ref ended) == 1) Interlocked.Increment(ref finishedAfterTheEnd);
            Interlocked.Decrement(ref running);
            return i;
        }
        var leave = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            await foreach (var i in OrderedParallel.SelectAsync(Endless(), Map, parallelism: 3, batch: 10))
            {
                if (i < 9) continue;
                await leave.Task;
                break; // left early, while the batches after it are mapping
            }
            Volatile.Write(ref ended, 1);
        });
        await full.Task.WaitAsync(TimeSpan.FromSeconds(30));
        leave.SetResult();

        // The reader of the source has stopped: the batches it started are still at the gate.
        await sourceEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(reading.IsCompleted, "the sequence ended while its maps were still running");
        gate.Set();
        await reading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, Volatile.Read(ref running));
        Assert.Equal(0, Volatile.Read(ref finishedAfterTheEnd));
        Assert.Equal(2, Volatile.Read(ref mostRunning));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
