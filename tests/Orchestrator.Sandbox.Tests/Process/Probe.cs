using System.Diagnostics;

namespace Orchestrator.Sandbox.Tests.Process;

internal static class Probe
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="within"/> has passed.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
                return false;
            await Task.Delay(10);
        }
        return true;
    }
}
