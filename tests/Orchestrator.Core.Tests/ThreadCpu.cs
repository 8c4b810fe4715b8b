using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Orchestrator.Core.Tests;

/// <summary>
/// CPU time spent by the calling thread: unlike wall time it does not grow when other processes share the cores, so a
/// test comparing the cost of two inputs stays meaningful on a busy machine.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>The least CPU time <paramref name="work"/> took on this thread over <paramref name="runs"/> runs.</summary>
    public static TimeSpan Best(Action work, int runs = 5)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var start = Now();
            work();
            var took = Now() - start;
            if (took < best) best = took;
        }
        return best;
    }

    private static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux()) return Stopwatch.GetElapsedTime(0);
        if (clock_gettime(ThreadCpuClock, out var now) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return TimeSpan.FromTicks(now.Seconds * TimeSpan.TicksPerSecond + now.Nanoseconds / 100);
    }

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
