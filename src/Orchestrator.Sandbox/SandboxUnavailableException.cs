namespace Orchestrator.Sandbox;

/// <summary>The mode needs a sandbox layer that cannot be applied here; the command was not run.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
