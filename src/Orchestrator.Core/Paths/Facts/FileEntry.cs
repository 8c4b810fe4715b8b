namespace Orchestrator.Core.Paths;

/// <summary>What one directory entry is: <see cref="FileEntryKind.Link"/> carries the link's text.</summary>
public readonly record struct FileEntry(FileEntryKind Kind, string? Target = null)
{
    public static FileEntry Missing => new(FileEntryKind.Missing);

    public static FileEntry Other => new(FileEntryKind.Other);
}
