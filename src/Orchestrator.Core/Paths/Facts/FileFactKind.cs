namespace Orchestrator.Core.Paths;

/// <summary>Which question a <see cref="FileFact"/> answers and how.</summary>
public enum FileFactKind
{
    /// <summary>A probe: nothing is there.</summary>
    Missing,
    /// <summary>A probe: a symlink, with its text in <see cref="FileFact.Target"/>.</summary>
    Link,
    /// <summary>A probe: something that is not a symlink (or a directory the policy snapshot established).</summary>
    Other,
    /// <summary>A probe that failed, with the error in <see cref="FileFact.Error"/>.</summary>
    Unreadable,
    /// <summary>A glob segment (<see cref="FileFact.Glob"/>) listed in the directory <see cref="FileFact.Path"/>: <see cref="FileFact.Names"/>.</summary>
    Matches,
}
