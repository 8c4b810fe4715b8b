using System.Diagnostics;
using System.Security.Cryptography;
using Orchestrator.Sandbox.Process;
using Xunit.Abstractions;

namespace Orchestrator.Sandbox.Tests.Process;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurements run alone";
}

[Collection(MemoryMeasurementCollection.Name)]
public sealed class ProcessRunnerFloodTests(ITestOutputHelper log)
{
    private const long FloodBytes = 2L * 1024 * 1024 * 1024;
    private const long MemoryBound = 64L * 1024 * 1024;

    [Fact]
    public async Task A_two_gigabyte_flood_is_counted_and_hashed_exactly_in_bounded_memory()
    {
        var limits = new OutputLimits(HeadBytes: 1024 * 1024, TailBytes: 1024 * 1024);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var peakBefore = ResetPeakResidentBytes();
        var workingSetBefore = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();
        // This collection runs alone, so the process's CPU time is the drain's: unlike the wall clock, other load does not inflate it.
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

        var outcome = await new ProcessRunner().RunAsync(
            GroupLeader.Shell($"head -c {FloodBytes} /dev/zero; head -c {FloodBytes / 64} /dev/zero >&2"), limits, TimeSpan.FromMinutes(2));

        var runTime = clock.Elapsed;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peakGrowth = PeakResidentBytes() - peakBefore;
        var workingSetGrowth = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64 - workingSetBefore;

        log.WriteLine($"run {runTime}, cpu {cpu}, allocated {allocated}, working set +{workingSetGrowth}, peak RSS +{peakGrowth}");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(FloodBytes, outcome.Stdout.TotalBytes);
        Assert.Equal(FloodBytes / 64, outcome.Stderr.TotalBytes);
        Assert.Equal(ZerosSha256(FloodBytes), outcome.Stdout.Sha256);
        Assert.Equal(limits.HeadBytes, outcome.Stdout.Head.Length);
        Assert.Equal(limits.TailBytes, outcome.Stdout.Tail.Length);
        Assert.True(allocated < MemoryBound, $"allocated {allocated} bytes while draining");
        Assert.True(workingSetGrowth < MemoryBound, $"working set grew by {workingSetGrowth} bytes");
        if (peakBefore >= 0)
            Assert.True(peakGrowth < MemoryBound, $"peak resident set grew by {peakGrowth} bytes");
        Assert.True(cpu < TimeSpan.FromSeconds(30), $"draining took {cpu} of CPU ({runTime} in all)");
    }

    private static string ZerosSha256(long count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var zeros = new byte[1024 * 1024];
        for (var left = count; left > 0; left -= zeros.Length)
            hash.AppendData(zeros, 0, (int)Math.Min(left, zeros.Length));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so the peak afterwards is the peak of this test alone.
    private static long ResetPeakResidentBytes()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return PeakResidentBytes();
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
