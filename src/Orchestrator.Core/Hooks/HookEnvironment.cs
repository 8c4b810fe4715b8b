using System.Collections.Immutable;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// The environment a hook process gets on top of the server's: <c>ORCHESTRATOR_PROJECT_DIR</c> and
/// <c>CLAUDE_PROJECT_DIR</c> name the workspace root (so a hook can be written as
/// <c>"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard.sh</c>, as in Claude Code), and <c>PATH</c> keeps only absolute
/// entries: an empty or relative entry would look the hook's programs up relative to a directory, which is how a
/// planted script would be found first.
/// </summary>
public static class HookEnvironment
{
    public const string ProjectDirVariable = "ORCHESTRATOR_PROJECT_DIR";
    public const string ClaudeProjectDirVariable = "CLAUDE_PROJECT_DIR";
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The variables to set for a hook run from <paramref name="projectDirectory"/>, given the inherited <c>PATH</c>.</summary>
    public static ImmutableDictionary<string, string> For(string projectDirectory, string? inheritedPath) =>
        ImmutableDictionary<string, string>.Empty
            .Add(ProjectDirVariable, projectDirectory)
            .Add(ClaudeProjectDirVariable, projectDirectory)
            .Add("PATH", AbsolutePath(inheritedPath));

    /// <summary>The absolute entries of a <c>PATH</c> value, in order, without duplicates; the default when none is left.</summary>
    public static string AbsolutePath(string? path)
    {
        var kept = (path ?? "").Split(':').Where(e => e.StartsWith('/')).Distinct(StringComparer.Ordinal).ToArray();
        return kept.Length == 0 ? DefaultPath : string.Join(':', kept);
    }
}
