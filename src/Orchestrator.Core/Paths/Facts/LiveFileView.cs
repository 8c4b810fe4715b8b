namespace Orchestrator.Core.Paths;

/// <summary>The disk itself: one <c>readlink(2)</c> per probe, one directory listing per glob segment. Remembers nothing.</summary>
public sealed class LiveFileView : IFileView
{
    public static LiveFileView Instance { get; } = new();

    private LiveFileView()
    {
    }

    public FileEntry Probe(string path) => LinkProbe.Probe(path);

    public IReadOnlyList<string> Matches(string directory, string segment, int limit) =>
        GlobExpander.MatchingNames(directory, segment, limit);

    public void AssumeDirectory(string directory)
    {
    }
}
