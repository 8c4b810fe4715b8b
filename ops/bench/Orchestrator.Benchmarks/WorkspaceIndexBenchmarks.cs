using System.Runtime.Versioning;
using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Linux.Workspace;

namespace Orchestrator.Benchmarks;

/// <summary>
/// What the workspace index costs a Linux run, in a workspace of 100,000 files in 1,000 directories with 21
/// repositories and a Read-deny glob: the first run in a process (one walk that puts a watch on every directory and
/// matches the glob), and every run after it (a drain of inotify at its start and at its end), baseline: a run
/// in a 20-file workspace.
/// </summary>
[SupportedOSPlatform("linux")]
[MemoryDiagnoser]
public class WorkspaceIndexBenchmarks
{
    private string _root = null!;
    private SandboxProfile _large = null!;
    private SandboxProfile _small = null!;
    private Quarantine _quarantine = null!;
    private WorkspaceIndexes _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateDirectory(Path.Combine("/var/tmp", $"orchestrator-index-bench-{Environment.ProcessId}")).FullName;
        var large = Path.Combine(_root, "large");
        for (var d = 0; d < 100; d++)
            for (var e = 0; e < 10; e++)
            {
                var dir = Directory.CreateDirectory(Path.Combine(large, "src", $"d{d:00}", $"e{e}")).FullName;
                for (var f = 0; f < 100; f++) File.WriteAllText(Path.Combine(dir, $"f{f:000}.txt"), "x");
            }
        Directory.CreateDirectory(Path.Combine(large, ".git"));
        for (var k = 0; k < 20; k++) Directory.CreateDirectory(Path.Combine(large, "vendor", $"lib{k:00}", ".git"));
        var small = Directory.CreateDirectory(Path.Combine(_root, "small", "src")).FullName;
        for (var f = 0; f < 20; f++) File.WriteAllText(Path.Combine(small, $"f{f}"), "x");
        _large = Profile(large);
        _small = Profile(Path.GetDirectoryName(small)!);
        _quarantine = new Quarantine(Path.Combine(_root, "quarantine"));
        _warm = new WorkspaceIndexes();
        _warm.Begin(_large, _quarantine).End();
        _warm.Begin(_small, _quarantine).End();
    }

    private static SandboxProfile Profile(string root) => new()
    {
        Mode = SandboxMode.WorkspaceWrite,
        WritableRoots = [root],
        ProtectedNames = ProtectedNames.Defaults,
        HiddenPatterns = [PathPattern.Parse("**/.env", new PathPatternBase(root, root, "/root")).Pattern!],
    };

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true)]
    public int A_run_in_a_20_file_workspace()
    {
        using var run = _warm.Begin(_small, _quarantine);
        return run.End().Length + run.ExistingProtected.Count;
    }

    [Benchmark]
    public int A_run_in_a_100000_file_workspace_once_indexed()
    {
        using var run = _warm.Begin(_large, _quarantine);
        return run.End().Length + run.ExistingProtected.Count;
    }

    [Benchmark, IterationCount(5), WarmupCount(1), InvocationCount(1)]
    public int The_first_run_in_a_100000_file_workspace()
    {
        using var run = new WorkspaceIndexes().Begin(_large, _quarantine);
        return run.End().Length + run.ExistingProtected.Count;
    }
}
