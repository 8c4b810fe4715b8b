namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>Which layers run the command, and as whom. Every escape test runs under each.</summary>
public enum SandboxVariant
{
    BuiltInAsRoot,
    BubblewrapAsRoot,
    BuiltInAsUser,
    BubblewrapAsUser,
}
