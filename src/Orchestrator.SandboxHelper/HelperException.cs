namespace Orchestrator.SandboxHelper;

/// <summary>Stops the helper before the program runs: the message goes to stderr and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class HelperException(string message, int exitCode = ExitCodes.SetupFailed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
