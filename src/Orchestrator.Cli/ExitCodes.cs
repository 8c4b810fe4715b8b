namespace Orchestrator.Cli;

/// <summary>Process exit codes, documented in README.</summary>
public static class ExitCodes
{
    public const int Allow = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Ask = 3;
    public const int Deny = 4;
}
