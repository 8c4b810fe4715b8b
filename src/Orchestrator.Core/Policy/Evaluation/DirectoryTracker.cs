namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Follows <c>cd</c> through a script so later relative paths resolve where the shell would resolve them. It treats
/// the script as one straight line (a <c>cd</c> inside a subshell still counts), which can only make paths look
/// further from the workspace than they are — never closer.
/// </summary>
internal sealed class DirectoryTracker(string start)
{
    public string Current { get; private set; } = start;

    /// <summary>True once a <c>cd</c> went somewhere only known at run time.</summary>
    public bool Unknown { get; private set; }

    public void ChangeTo(string target, string home)
    {
        if (target.Contains('$') || target.Contains('`') || target == "-") { Unknown = true; return; }
        var expanded = Paths.PathText.ExpandHome(target, home);
        try { Current = Path.GetFullPath(expanded, Current); }
        catch (ArgumentException) { Unknown = true; }
    }

    public DirectoryTracker Fork() => new(Current) { Unknown = Unknown };
}
