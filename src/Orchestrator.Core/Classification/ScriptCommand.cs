using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// One command a script runs: a simple command written in it (in any list, pipeline, substitution or nested script),
/// or a command another one runs (after a wrapper such as <c>timeout 5</c>, in <c>find -exec</c>, built by
/// <c>xargs</c>). A command with no words (a bare assignment or redirection) runs no program.
/// </summary>
public sealed class ScriptCommand
{
    private List<ScriptUnknown>? _unknowns;

    internal ScriptCommand(CommandWords words, SimpleCommand? source, ScriptCommand? runner, int startInRunner, NestedScript script,
        WorkingDirectory directory)
    {
        Words = words;
        Source = source;
        Runner = runner;
        StartInRunner = startInRunner;
        Script = script;
        Directory = directory;
    }

    /// <summary>Its words as bash will pass them, as far as known (<see cref="CommandWords"/>): a word containing
    /// <see cref="CommandClassification.RuntimeValue"/> is only known at run time.</summary>
    public IReadOnlyList<string> Argv => Words.Argv;

    internal CommandWords Words { get; }

    /// <summary>The basename of the program; empty when there is none.</summary>
    public string Program => Argv.Count == 0 ? "" : Argv[0][(Argv[0].LastIndexOf('/') + 1)..];

    /// <summary>The depth of the script it belongs to (0 for the script given).</summary>
    public int Depth => Script.Depth;

    /// <summary>The program is only known at run time: a variable, a substitution or a glob names it.</summary>
    public bool ProgramIsRuntime => Argv.Count > 0 && !Words.ProgramIsStatic;

    /// <summary>The classifier's verdict on the command; null when it runs no program or its program is only known at run time.</summary>
    public CommandClassification? Classification { get; internal set; }

    /// <summary>The simple command as written; null for a command another one runs.</summary>
    public SimpleCommand? Source { get; }

    /// <summary>The command that runs this one (a wrapper, <c>find</c>, <c>xargs</c>); null for a command written in a script.</summary>
    public ScriptCommand? Runner { get; }

    /// <summary>Where <c>Argv[0]</c> stands in the runner's argv (<see cref="InnerCommand.Start"/>).</summary>
    public int StartInRunner { get; }

    public NestedScript Script { get; }

    /// <summary>The directory it starts in.</summary>
    public WorkingDirectory Directory { get; }

    /// <summary>The text of the simple command it comes from, as written.</summary>
    public string Text => Source?.SourceText ?? Runner?.Text ?? string.Join(' ', Argv);

    /// <summary>What keeps this command, or the ones it runs, from being named before it runs.</summary>
    public IReadOnlyList<ScriptUnknown> Unknowns => _unknowns ?? (IReadOnlyList<ScriptUnknown>)[];

    internal void Add(ScriptUnknownKind kind, string reason) => (_unknowns ??= []).Add(new ScriptUnknown(kind, reason, Text));

    public override string ToString() => string.Join(' ', Argv.Select(CommandWords.Display));
}
