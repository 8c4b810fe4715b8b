namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>Scripts where bash is known to run more than a naive reading shows.</summary>
internal static class TrickyScripts
{
    public static TheoryData<string> All => new(Scripts);

    private static readonly string[] Scripts =
    [
        "echo hi; cat a.txt | ls",
        "x='a[$(cat b.txt)]'; echo $((x))",
        "sh -c '[[ x || cat a.txt ]]'",
        "sh -c 'echo a &> /dev/null cat b.txt'",
        "v='5 ls'; timeout $v cat a.txt",
        "cat ~+/a.txt ~/h.txt",
    ];
}
