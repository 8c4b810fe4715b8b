using System.Diagnostics;

namespace Orchestrator.Load;

/// <summary>
/// The closed loop of simulated agents: each of <see cref="LoadPlan.Agents"/> tasks submits a call, waits for its
/// answer, thinks, and submits the next, until the plan's calls are taken or its duration is over (or
/// <c>cancellation</c>: the calls in flight finish, none is abandoned). How a call is submitted is the caller's
/// (<c>submit(agent, n, ct)</c>: over HTTP, or straight to the pipeline's actors).
/// </summary>
public static class LoadDriver
{
    /// <returns>The wall time from the first call to the last answer.</returns>
    public static async Task<TimeSpan> RunAsync(LoadPlan plan, LoadTally tally, Func<int, long, CancellationToken, Task<CallResult>> submit,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(submit);
        long taken = 0;
        var stop = 0;
        using var firstCalls = new SemaphoreSlim(Math.Max(1, plan.RampWave));
        var clock = Stopwatch.StartNew();
        using var deadline = plan.Duration is { } duration ? new Timer(_ => Volatile.Write(ref stop, 1), null, duration, Timeout.InfiniteTimeSpan) : null;
        await using var stopping = cancellation.Register(() => Volatile.Write(ref stop, 1));

        bool Take() => Volatile.Read(ref stop) == 0 && (plan.Calls is not { } calls || Interlocked.Increment(ref taken) <= calls);

        async Task Agent(int agent)
        {
            for (long n = 0; Take(); n++)
            {
                if (n == 0) await firstCalls.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                tally.Sent();
                var t0 = Stopwatch.GetTimestamp();
                CallResult result;
                try { result = await submit(agent, n, CancellationToken.None).ConfigureAwait(false); }
                catch (Exception e) when (e is not OutOfMemoryException) { result = CallResult.Failed(e.GetType().Name); }
                tally.Record(result, Stopwatch.GetElapsedTime(t0));
                if (n == 0) firstCalls.Release();
                if (plan.ThinkMs > 0 && Volatile.Read(ref stop) == 0)
                    // Exponential think times (Poisson arrivals) with the given mean: agents do not march in step.
                    await Task.Delay(TimeSpan.FromMilliseconds(-Math.Log(1 - Random.Shared.NextDouble()) * plan.ThinkMs), CancellationToken.None).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, plan.Agents).Select(a => Task.Run(() => Agent(a), CancellationToken.None))).ConfigureAwait(false);
        return clock.Elapsed;
    }
}
