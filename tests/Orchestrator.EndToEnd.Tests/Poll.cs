using System.Diagnostics;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Bounded polling of state nothing can notify the test about (another process's: a CLI listing, a child's stderr):
/// reads until <c>done</c> holds, else fails after <c>within</c> (default a minute) naming what was awaited, the last
/// value read and, when given, <c>context</c> read then (a server's log) — never hangs, never sleeps a guessed time.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromMinutes(1);

    public static Task<T> UntilAsync<T>(Func<T> read, Func<T, bool> done, string awaited, TimeSpan? within = null, Func<string>? context = null) =>
        UntilAsync(() => Task.FromResult(read()), done, awaited, within, context);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string awaited, TimeSpan? within = null,
        Func<string>? context = null)
    {
        var limit = within ?? DefaultWithin;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"{awaited}: not within {limit.TotalSeconds:0} s; last read: {Describe(value)}{(context is null ? "" : "\n" + context())}");
            await Task.Delay(Interval);
        }
    }

    private static string Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string ? $"[{string.Join(", ", items.Cast<object?>())}]" : $"{value}";
}
