namespace Orchestrator.Load;

/// <summary>
/// The benchmarks' 100-rule policy (ops/bench/Orchestrator.Benchmarks/bench-policy.json, embedded): under it every
/// <see cref="CallMix"/> template decides as its class says.
/// </summary>
public static class BenchPolicy
{
    public static string Json()
    {
        using var stream = typeof(BenchPolicy).Assembly.GetManifestResourceStream("bench-policy.json")
                           ?? throw new InvalidOperationException("bench-policy.json is not embedded in Orchestrator.Load");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
