using System.Text.RegularExpressions;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// Every command a shell script runs, as far as can be known before it runs: each simple command in any list,
/// pipeline, subshell, group, loop, conditional or substitution; each command those run (after a wrapper, in
/// <c>find -exec</c>, built by <c>xargs</c>); each command of a script they run (<c>sh -c</c>, <c>eval</c>,
/// <c>trap</c>), to <see cref="MaxScriptDepth"/> levels. Words are built as bash builds them (<see cref="CommandWords"/>),
/// following <c>cd</c> for <c>$PWD</c>. Whatever keeps the list from being complete — a script the parser does not fully
/// understand, a program or script only known at run time, code bash evaluates from values (arithmetic, subscripts,
/// aliases) — is an <see cref="ScriptUnknown"/>: the commands a script runs are all named only when
/// <see cref="FullyKnown"/>.
/// </summary>
public sealed partial class ScriptCommands
{
    public const int MaxScriptDepth = 8;

    private IReadOnlyList<ScriptUnknown>? _unknowns;

    private ScriptCommands(IReadOnlyList<ScriptCommand> commands, IReadOnlyList<NestedScript> scripts, string? homeDirectory)
    {
        Commands = commands;
        Scripts = scripts;
        HomeDirectory = homeDirectory;
        FullyKnown = true;
        foreach (var script in scripts) FullyKnown &= script.Unknowns.Count == 0;
        foreach (var command in commands) FullyKnown &= command.Unknowns.Count == 0;
    }

    /// <summary>In the order bash would first reach them: a command before the commands it runs and the scripts it runs.</summary>
    public IReadOnlyList<ScriptCommand> Commands { get; }

    /// <summary>The script given first, then each script a command runs, in the order they are reached.</summary>
    public IReadOnlyList<NestedScript> Scripts { get; }

    /// <summary>Every reason some command cannot be named, in the order reached.</summary>
    public IReadOnlyList<ScriptUnknown> Unknowns => _unknowns ??= InWalkOrder();

    public bool FullyKnown { get; }

    /// <summary>What <c>~</c> and <c>$HOME</c> mean in the script; null when the script may assign HOME.</summary>
    public string? HomeDirectory { get; }

    /// <param name="homeDirectory">What <c>~</c> and <c>$HOME</c> are, unless the script assigns HOME.</param>
    /// <param name="workingDirectory">Where the script starts, absolute.</param>
    public static ScriptCommands Of(string script, CommandClassifier classifier, string homeDirectory, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(classifier);
        var start = new WorkingDirectory(workingDirectory, false);
        var walk = ScriptCommandWalker.Walk(script, classifier, homeDirectory, start, pwdAssigned: false);
        // A script that may assign HOME or PWD (in any of its scripts) changes what ~, $HOME, $PWD and cd mean.
        bool homeAssigned = false, pwdAssigned = false;
        foreach (var nested in walk.Scripts)
        {
            homeAssigned |= nested.Text.Contains("HOME", StringComparison.Ordinal) && HomeWritten().IsMatch(nested.Text);
            pwdAssigned |= (nested.Text.Contains("PWD", StringComparison.Ordinal) || nested.Text.Contains("CDPATH", StringComparison.Ordinal))
                           && PwdWritten().IsMatch(nested.Text);
        }
        var home = homeAssigned ? null : homeDirectory;
        if (homeAssigned || pwdAssigned) walk = ScriptCommandWalker.Walk(script, classifier, home, start, pwdAssigned);
        return new ScriptCommands(walk.Commands, walk.Scripts, home);
    }

    private List<ScriptUnknown> InWalkOrder()
    {
        var unknowns = new List<ScriptUnknown>();
        var nextScript = 0;
        for (var i = 0; i <= Commands.Count; i++)
        {
            while (nextScript < Scripts.Count && Scripts[nextScript].FirstCommand <= i) unknowns.AddRange(Scripts[nextScript++].Unknowns);
            if (i < Commands.Count) unknowns.AddRange(Commands[i].Unknowns);
        }
        return unknowns;
    }

    // The variable's name anywhere except right after $, ${ or ${#, which only read it. CDPATH changes where cd goes.
    [GeneratedRegex(@"(?<!\$)(?<!\$\{)(?<!\$\{#)\bHOME\b")]
    private static partial Regex HomeWritten();

    [GeneratedRegex(@"(?<!\$)(?<!\$\{)(?<!\$\{#)\b(?:PWD|CDPATH)\b")]
    private static partial Regex PwdWritten();
}
