namespace Orchestrator.Core.Paths;

public enum FileEntryKind
{
    Missing,
    Link,
    /// <summary>Exists and is not a symlink (a file, a directory, a device, …).</summary>
    Other,
}
