using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// The files inside the workspace that a hook command runs or reads: every word of the command that names a path
/// (it has a '/'), taken relative to the project root as the hook itself is run, with <c>$CLAUDE_PROJECT_DIR</c> and
/// <c>$ORCHESTRATOR_PROJECT_DIR</c> standing for that root. They become protected paths, so no sandboxed command can
/// rewrite the guard that judges it.
/// </summary>
public static class HookScripts
{
    public static IReadOnlyList<string> Of(string command, string projectDirectory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        var found = new List<string>();
        foreach (var simple in ShellParser.Parse(command).SimpleCommands)
        {
            var words = simple.Words.Concat(simple.Redirections.Where(r => !r.IsHereDoc && r.Target is not null).Select(r => r.Target!));
            foreach (var word in words)
            {
                if (ValueOf(word, root) is not { } value || !value.Contains('/') || value.StartsWith('-')) continue;
                var full = Path.GetFullPath(value, root);
                if (full.StartsWith(root + "/", StringComparison.Ordinal) && !found.Contains(full)) found.Add(full);
            }
        }
        return found;
    }

    /// <summary>The word's value when it is static or only adds the project directory variables; else null.</summary>
    private static string? ValueOf(ShellWord word, string root)
    {
        if (word.StaticValue is { } value) return value;
        var text = new System.Text.StringBuilder();
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    text.Append(literal.Text);
                    break;
                case ParameterPart { Name: HookEnvironment.ClaudeProjectDirVariable or HookEnvironment.ProjectDirVariable } parameter
                    when parameter.Raw is "$" + HookEnvironment.ClaudeProjectDirVariable or "${" + HookEnvironment.ClaudeProjectDirVariable + "}"
                        or "$" + HookEnvironment.ProjectDirVariable or "${" + HookEnvironment.ProjectDirVariable + "}":
                    text.Append(root);
                    break;
                default:
                    return null;
            }
        }
        return text.ToString();
    }
}
