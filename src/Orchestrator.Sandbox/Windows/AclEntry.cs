namespace Orchestrator.Sandbox.Windows;

/// <summary>Allow or deny.</summary>
public enum AclEntryKind
{
    Allow,
    Deny,
}

/// <summary>Whether the entry reaches the children of a directory.</summary>
public enum AclInheritance
{
    ThisObjectOnly,
    ObjectsAndContainers,
}

/// <summary>Why the plan adds an entry.</summary>
public enum AclPurpose
{
    WritableRoot,
    PrivateTemp,
    WorkingDirectoryRead,
    ProtectedPath,
    PinnedAncestor,
    HiddenPath,
}

/// <summary>
/// One access-control entry to add to a path's DACL for the sandbox SID. <see cref="LowIntegrityLabel"/>: also label
/// the path low-integrity (no-write-up at Low), so a low-integrity command can write it.
/// </summary>
public sealed record AclEntry(
    string Path,
    AclPurpose Purpose,
    AclEntryKind Kind,
    string Sid,
    FileAccessRights Rights,
    AclInheritance Inheritance,
    bool LowIntegrityLabel = false);
