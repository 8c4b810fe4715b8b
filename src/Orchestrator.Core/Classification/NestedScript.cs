using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// One script of an enumeration: the script given, or one that a command of it runs (<c>sh -c</c>, <c>eval</c>,
/// <c>trap</c>), parsed.
/// </summary>
public sealed class NestedScript
{
    private List<ScriptUnknown>? _unknowns;

    internal NestedScript(string text, ShellParseResult parsed, ShellDialect dialect, int depth, WorkingDirectory directory, ScriptCommand? runner,
        int firstCommand)
    {
        Dialect = dialect;
        Text = text;
        Parsed = parsed;
        Depth = depth;
        Directory = directory;
        Runner = runner;
        FirstCommand = firstCommand;
    }

    public string Text { get; }

    public ShellParseResult Parsed { get; }

    /// <summary>The shell that reads it: bash for the script given, the runner's shell for <c>sh -c</c>, the enclosing one for <c>eval</c>.</summary>
    public ShellDialect Dialect { get; }

    /// <summary>0 for the script given, one more for each script a script runs.</summary>
    public int Depth { get; }

    /// <summary>Where the script starts.</summary>
    public WorkingDirectory Directory { get; }

    /// <summary>The command that runs this script; null for the script given.</summary>
    public ScriptCommand? Runner { get; }

    /// <summary>Index in <see cref="ScriptCommands.Commands"/> of the first command enumerated after this script was entered.</summary>
    public int FirstCommand { get; }

    /// <summary>What about the script as a whole keeps its commands from being named: a parse problem, hidden evaluations.</summary>
    public IReadOnlyList<ScriptUnknown> Unknowns => _unknowns ?? (IReadOnlyList<ScriptUnknown>)[];

    internal void Add(ScriptUnknown unknown) => (_unknowns ??= []).Add(unknown);
}
