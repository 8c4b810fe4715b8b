namespace Orchestrator.Sandbox.Process;

/// <summary>The plan could not be started (missing working directory, program not found or not executable); nothing ran.</summary>
public sealed class LaunchException : ArgumentException
{
    public LaunchException(string message, string? paramName = null, Exception? innerException = null)
        : base(message, paramName, innerException)
    {
    }
}
