namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>Which layers run the command, and as whom. Every escape test runs under each.</summary>
public enum SandboxVariant
{
    BuiltInAsRoot,
    BubblewrapAsRoot,
    BuiltInAsUser,
    BubblewrapAsUser,
    /// <summary>The built-in layer where no mount namespace can be had (user namespaces disabled): Landlock grants only.</summary>
    BuiltInWithoutNamespacesAsRoot,
}
