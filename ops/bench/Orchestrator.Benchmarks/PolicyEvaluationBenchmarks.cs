using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Core.Shell;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Policy evaluation on a 100-rule policy over a mixed command set, one thread. The baseline is the cheapest policy
/// one could write — an exact-text allowlist lookup — so the ratio says what parsing, classifying and path checks cost.
/// Each operation is one decision (OperationsPerInvoke), so decisions/s = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private PolicyEvaluator _evaluator = null!;
    private ToolCall[] _calls = null!;
    private HashSet<string> _exactAllowlist = null!;
    private string _workspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workspace = Directory.CreateTempSubdirectory("orchestrator-bench-").FullName;
        Directory.CreateDirectory(Path.Combine(_workspace, "src"));
        Directory.CreateDirectory(Path.Combine(_workspace, "build"));
        var policyFile = Path.Combine(AppContext.BaseDirectory, "bench-policy.json");
        var snapshot = PolicyLoader.Load(new PolicyLoadOptions(_workspace)
        {
            SettingsFiles = [policyFile],
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            HomeDirectory = Path.Combine(_workspace, "home"),
        });
        if (snapshot.FailedClosed) throw new InvalidOperationException(string.Join("; ", snapshot.Errors));
        if (snapshot.AllRules.Count() < 100) throw new InvalidOperationException("the benchmark policy must hold at least 100 rules");
        _evaluator = new PolicyEvaluator(snapshot);
        _calls = MixedCommands.All.Select(c => ToolCall.Bash(c, _workspace)).ToArray();
        _exactAllowlist = new HashSet<string>(snapshot.AllowRules.Select(r => r.Text), StringComparer.Ordinal);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_workspace, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = 20)]
    public int ExactAllowlistLookup()
    {
        var allowed = 0;
        foreach (var call in _calls)
            if (_exactAllowlist.Contains(call.Input[ToolInputKeys.Command])) allowed++;
        return allowed;
    }

    [Benchmark(OperationsPerInvoke = 20)]
    public int ShellParseOnly()
    {
        var commands = 0;
        foreach (var call in _calls) commands += ShellParser.Parse(call.Input[ToolInputKeys.Command]).SimpleCommands.Count;
        return commands;
    }

    [Benchmark(OperationsPerInvoke = 20)]
    public int FullPolicyDecision()
    {
        var allowed = 0;
        foreach (var call in _calls)
            if (_evaluator.Evaluate(call).Decision == Decision.Allow) allowed++;
        return allowed;
    }
}
