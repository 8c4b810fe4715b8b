namespace Orchestrator.Core.Classification;

/// <summary>rsync: a network transfer when any operand is remote, otherwise a local copy (sources read, destination written).</summary>
internal sealed class RsyncAnalyzer : ICommandAnalyzer
{
    public string Name => "rsync";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = new ScanState();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);
        var operands = state.Positionals;

        var remote = false;
        foreach (var operand in operands) remote |= IsRemote(operand);
        if (remote)
        {
            verdict.SetBase(CommandRisk.Network, "rsync transfers files to or from a remote host");
            return;
        }
        if (operands.Count == 1)
        {
            verdict.SetBase(CommandRisk.ReadOnly, "rsync with one operand lists files");
            verdict.AddPath(operands[0], PathAccessKind.Read);
            return;
        }
        for (var k = 0; k < operands.Count; k++)
            verdict.AddPath(operands[k], k == operands.Count - 1 ? PathAccessKind.Write : PathAccessKind.Read);
    }

    /// <summary>rsync://…, host::module, or host:path (a colon before any slash).</summary>
    public static bool IsRemote(string operand)
    {
        if (operand.StartsWith("rsync://", StringComparison.OrdinalIgnoreCase)) return true;
        var colon = operand.IndexOf(':');
        return colon > 0 && operand.IndexOf('/', 0, colon) < 0;
    }
}
