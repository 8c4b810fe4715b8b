using CsCheck;
using Orchestrator.Actors.History;

namespace Orchestrator.Actors.Tests.History;

/// <summary>
/// <see cref="OrderedParallel.SelectAsync"/> gives what a sequential map gives, in the same order, whatever the batch
/// size and the number of cores — and a map that throws ends the sequence at that item, after every earlier result.
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
    public async Task Results_come_back_in_the_order_of_the_source_as_a_sequential_map_gives_them()
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
            var parallel = await All(OrderedParallel.SelectAsync(Source(items, yieldNow: parallelism % 2 == 0), Map, parallelism, batch));
            Assert.Equal(items.Select(Map), parallel);
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
}
