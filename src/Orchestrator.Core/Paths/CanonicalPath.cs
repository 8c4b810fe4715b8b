namespace Orchestrator.Core.Paths;

/// <summary>
/// The physical location a path names. When <see cref="Problem"/> is set the path could not be resolved and
/// <see cref="FullPath"/> holds the input as given; callers must treat such a path as unresolvable.
/// </summary>
public sealed record CanonicalPath(string FullPath, bool Exists, bool TraversedSymlink, string? Problem)
{
    public bool IsResolved => Problem is null;

    internal static CanonicalPath Failed(string input, string problem) => new(input, false, false, problem);
}
