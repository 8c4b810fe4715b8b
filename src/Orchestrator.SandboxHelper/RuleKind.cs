namespace Orchestrator.SandboxHelper;

/// <summary>Which Landlock rights a path rule grants.</summary>
internal enum RuleKind
{
    ReadOnly,
    ReadWrite,
    ReadOnlyFile,
    ReadWriteFile,

    /// <summary>Listing a directory (and, as Landlock rights go, every directory below it) and nothing else.</summary>
    ListOnly,
}
