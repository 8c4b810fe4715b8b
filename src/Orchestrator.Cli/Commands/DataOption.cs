using System.CommandLine;
using Orchestrator.Core.Policy;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>--data DIR</c>, the one data directory option of every command: the journal (or its keys when it is in
/// PostgreSQL), tokens, keys and the high-water mark. Default <c>$XDG_DATA_HOME/orchestrator</c>, else
/// <c>~/.local/share/orchestrator</c> — outside every workspace, hidden from every sandboxed command.
/// </summary>
internal static class DataOption
{
    public static Option<string> Create() => new("--data")
    {
        Description = $"Data directory: journal, keys, tokens (default {PolicyLoadOptions.DefaultDataDirectory()})",
        DefaultValueFactory = _ => PolicyLoadOptions.DefaultDataDirectory(),
    };

    /// <summary>
    /// Why <paramref name="dataDirectory"/> cannot be used with a workspace at <paramref name="projectDirectory"/>, or
    /// null: a data directory inside the workspace would be writable by the commands the server runs there.
    /// </summary>
    public static string? Refusal(string dataDirectory, string projectDirectory)
    {
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var project = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        var inside = data == project || data.StartsWith(project + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside
            ? $"--data {data} is inside the workspace {project}, where the commands it runs may write; choose a directory outside it (default {PolicyLoadOptions.DefaultDataDirectory()})"
            : null;
    }
}
