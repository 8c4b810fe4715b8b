namespace Orchestrator.SandboxHelper;

/// <summary>Which Landlock rights a path rule grants.</summary>
internal enum RuleKind
{
    ReadOnly,
    ReadWrite,
    ReadOnlyFile,
    ReadWriteFile,
}
