using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>Read-deny globs looked up in one index; <see cref="Key"/> names the set (its patterns and their anchors).</summary>
internal sealed class PatternSet(IReadOnlyList<PathPattern> patterns)
{
    public string Key { get; } = string.Join('\n', patterns.Select(p => p.Spec + "\0" + string.Join('\0', p.Anchors)));

    public IReadOnlyList<PathPattern> Patterns { get; } = patterns;

    public bool Matches(string path)
    {
        foreach (var pattern in Patterns)
            if (pattern.Matches(path)) return true;
        return false;
    }
}

/// <summary>The paths of one index that one <see cref="PatternSet"/> matches, kept current with the index.</summary>
internal sealed class PatternMatches(PatternSet patterns)
{
    private readonly SortedSet<string> _paths = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => _paths;

    public void Consider(string path)
    {
        if (patterns.Matches(path)) _paths.Add(path);
    }

    public void RemoveAtOrBelow(string path)
    {
        foreach (var gone in SortedPaths.AtOrBelow(_paths, path).ToList()) _paths.Remove(gone);
    }

    public void Clear() => _paths.Clear();
}
