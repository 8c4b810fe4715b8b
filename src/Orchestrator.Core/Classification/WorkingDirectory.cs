namespace Orchestrator.Core.Classification;

/// <summary>
/// The directory a command of a script starts in, as far as it is known before the script runs. Following <c>cd</c>
/// treats a script as one straight line (a <c>cd</c> inside a subshell still counts), which can only make paths look
/// further from the workspace than they are — never closer.
/// </summary>
/// <param name="Current">The directory, absolute.</param>
/// <param name="Unknown">True once a <c>cd</c> went somewhere only known at run time; <see cref="Current"/> is then stale.</param>
public readonly record struct WorkingDirectory(string Current, bool Unknown)
{
    /// <param name="home">Null when the home directory is only known at run time.</param>
    public WorkingDirectory ChangeTo(string target, string? home)
    {
        if (home is null && target.StartsWith('~')) return this with { Unknown = true };
        if (Unknown || target.Contains('$') || target.Contains('`') || target == "-" || CommandClassification.IsRuntimeWord(target))
            return this with { Unknown = true };
        var expanded = home is null ? target : Paths.PathText.ExpandHome(target, home);
        try { return new WorkingDirectory(Path.GetFullPath(expanded, Current), false); }
        catch (ArgumentException) { return this with { Unknown = true }; }
    }
}
