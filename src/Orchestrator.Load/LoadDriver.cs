namespace Orchestrator.Load;

/// <summary>
/// The simulated agents: each of <see cref="LoadPlan.Agents"/> tasks submits a call and waits for its answer, then
/// submits the next — at once (back-to-back), or when its <see cref="SendSchedule"/> says (with think time) — until the
/// plan's calls are taken or its duration is over (or <c>cancellation</c>: the calls in flight finish, none is
/// abandoned). How a call is submitted is the caller's (<c>submit(agent, n, ct)</c>: over HTTP, or straight to the
/// pipeline's actors); <c>time</c> is the clock and the timer of the waits (tests give a simulated one).
/// </summary>
public static class LoadDriver
{
    /// <returns>The wall time from the first call to the last answer.</returns>
    public static async Task<TimeSpan> RunAsync(LoadPlan plan, LoadTally tally, Func<int, long, CancellationToken, Task<CallResult>> submit,
        CancellationToken cancellation = default, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(submit);
        time ??= TimeProvider.System;
        long taken = 0;
        using var firstCalls = new SemaphoreSlim(Math.Max(1, plan.RampWave));
        var start = time.GetTimestamp();
        TimeSpan Elapsed() => time.GetElapsedTime(start);
        bool Over(TimeSpan at) => cancellation.IsCancellationRequested || plan.Duration is { } duration && at >= duration;
        bool Take() => !Over(Elapsed()) && (plan.Calls is not { } calls || Interlocked.Increment(ref taken) <= calls);

        // False when the run ends before the due time.
        async Task<bool> WaitUntil(TimeSpan due)
        {
            if (Over(due)) return false;
            var wait = due - Elapsed();
            if (wait <= TimeSpan.Zero) return true;
            try { await Task.Delay(wait, time, cancellation).ConfigureAwait(false); }
            catch (OperationCanceledException) { return false; }
            return true;
        }

        async Task Agent(int agent)
        {
            var schedule = plan.ThinkMs > 0 ? new SendSchedule(plan.ThinkMs, plan.RandomFor(agent)) : null;
            var origin = TimeSpan.Zero;
            for (long n = 0; ; n++)
            {
                TimeSpan? due = n > 0 && schedule is not null ? origin + schedule.Next() : null;
                // Late: still waiting for the last answer when this call was due (a send after a wait is on time, the
                // timer's own overshoot is not the server's).
                var behind = due is { } d && Elapsed() > d;
                if (due is { } d2 && !behind && !await WaitUntil(d2).ConfigureAwait(false)) break;
                if (!Take()) break;
                if (n == 0) await firstCalls.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                var sent = Elapsed();
                if (n == 0) origin = sent; // the schedule starts at the agent's first send, once its session is admitted
                var lateness = behind ? sent - due!.Value : TimeSpan.Zero;
                tally.Sent(lateness);
                CallResult result;
                try { result = await submit(agent, n, CancellationToken.None).ConfigureAwait(false); }
                catch (Exception e) when (e is not OutOfMemoryException) { result = CallResult.Failed(e.GetType().Name); }
                tally.Record(result, Elapsed() - sent, lateness);
                if (n == 0) firstCalls.Release();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, plan.Agents).Select(a => Task.Run(() => Agent(a), CancellationToken.None))).ConfigureAwait(false);
        return Elapsed();
    }
}
