namespace Orchestrator.SandboxHelper;

/// <summary>Exit codes the helper itself produces (the same as env(1) and shells use).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int SetupFailed = 125;
    public const int NotExecutable = 126;
    public const int NotFound = 127;
}
