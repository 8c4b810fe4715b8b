using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>The walk behind <see cref="ScriptCommands"/>: scripts, their simple commands, and what each command runs.</summary>
internal sealed class ScriptCommandWalker
{
    private readonly CommandClassifier _classifier;
    private readonly string? _home;

    private ScriptCommandWalker(CommandClassifier classifier, string? home)
    {
        _classifier = classifier;
        _home = home;
    }

    public List<ScriptCommand> Commands { get; } = [];

    public List<NestedScript> Scripts { get; } = [];

    /// <param name="home">Null when the script may assign HOME: <c>~</c> and <c>$HOME</c> are then only known at run time.</param>
    /// <param name="pwdAssigned">The script may assign PWD: <c>$PWD</c> is only known at run time, and so is every directory.</param>
    public static ScriptCommandWalker Walk(string script, CommandClassifier classifier, string? home, WorkingDirectory start, bool pwdAssigned)
    {
        var walker = new ScriptCommandWalker(classifier, home);
        walker.WalkScript(script, ShellDialect.Bash, pwdAssigned ? start with { Unknown = true } : start, 0, null);
        return walker;
    }

    private void WalkScript(string text, ShellDialect dialect, WorkingDirectory directory, int depth, ScriptCommand? runner)
    {
        var parsed = ShellParser.Parse(text);
        var script = new NestedScript(text, parsed, dialect, depth, directory, runner, Commands.Count);
        Scripts.Add(script);
        if (!parsed.FullyUnderstood)
        {
            script.Add(new ScriptUnknown(ScriptUnknownKind.NotUnderstood,
                $"the shell parser does not fully understand this command: {parsed.Problem}" +
                (parsed.ProblemOffset is { } at ? $" (at offset {at})" : ""), text.Trim()));
        }
        if (dialect == ShellDialect.Other && !IsPlain(parsed))
            script.Add(new ScriptUnknown(ScriptUnknownKind.NotUnderstood,
                $"{runner?.Program} is not bash, and reads anything but plain words and operators otherwise", text.Trim()));
        else if (dialect == ShellDialect.Posix && parsed.BashOnlySyntax.Count > 0)
            script.Add(new ScriptUnknown(ScriptUnknownKind.NotUnderstood,
                $"{runner?.Program} may not be bash, and reads {string.Join(", ", parsed.BashOnlySyntax)} otherwise", text.Trim()));
        foreach (var evaluation in parsed.ValueEvaluations)
            script.Add(new ScriptUnknown(ScriptUnknownKind.HiddenCode, $"{evaluation.Text}: {evaluation.Reason}", evaluation.Text));
        if (CodeVariables.Written(text) is { } variable)
            script.Add(new ScriptUnknown(ScriptUnknownKind.HiddenCode, $"the script may set {variable.Name}, and {variable.Reason}", text.Trim()));

        var cwd = directory;
        foreach (var simple in parsed.SimpleCommands)
        {
            var words = simple.Words.Count == 0 ? CommandWords.Empty : CommandWords.From(simple.Words, cwd, _home, dialect == ShellDialect.Posix);
            Visit(words, simple, null, 0, script, ref cwd);
        }
    }

    /// <param name="cwd">The directory the command starts in; a <c>cd</c> moves it for the commands after.</param>
    private void Visit(CommandWords words, SimpleCommand? source, ScriptCommand? runner, int start, NestedScript script, ref WorkingDirectory cwd)
    {
        var command = new ScriptCommand(words, source, runner, start, script, cwd);
        Commands.Add(command);
        if (words.Argv.Length == 0) return;
        if (!words.ProgramIsStatic)
        {
            command.Add(ScriptUnknownKind.RuntimeProgram, "the program name is only known at run time");
            return;
        }

        var classification = _classifier.Classify(words.Argv);
        command.Classification = classification;
        if (classification.ChangesDirectoryTo is { } target) cwd = cwd.ChangeTo(target, _home);
        if (ShellBuiltinCode.Find(words) is { } hidden) command.Add(ScriptUnknownKind.HiddenCode, hidden);
        if (RunnerWords.Find(words, classification, _classifier) is { } runtime) command.Add(ScriptUnknownKind.RuntimeProgram, runtime);

        foreach (var inner in classification.InnerCommands)
        {
            if (inner.WorkingDirectory is { } directory)
            {
                var innerCwd = cwd.ChangeTo(directory, _home);
                Visit(words.ForInner(inner), null, command, inner.Start, script, ref innerCwd);
            }
            else
            {
                Visit(words.ForInner(inner), null, command, inner.Start, script, ref cwd);
            }
        }

        var shell = ShellOf(classification.Program);
        if ((classification.InnerScript ?? TrapAction(words.Argv) ?? (shell is null ? null : ShellStdinScript.Of(command, classification)))
            is not { } innerScript) return;
        if (CommandClassification.IsRuntimeWord(innerScript))
            command.Add(ScriptUnknownKind.RuntimeScript, "runs a shell script only known at run time");
        else if (script.Depth >= ScriptCommands.MaxScriptDepth)
            command.Add(ScriptUnknownKind.TooDeep, $"shell scripts nested deeper than {ScriptCommands.MaxScriptDepth} levels");
        else
            WalkScript(innerScript, shell ?? script.Dialect, cwd, script.Depth + 1, command);
    }

    /// <summary>
    /// Simple commands of literal words joined by lists and pipelines, which every Bourne-style shell (zsh, ksh) reads
    /// as bash does: no expansion, glob, brace, tilde, zsh <c>=cmd</c>, compound command or here-document body.
    /// </summary>
    private static bool IsPlain(ShellParseResult parsed)
    {
        static bool Plain(ShellWord word) =>
            word is { IsStatic: true, HasUnquotedGlob: false, HasBraceExpansion: false, HasTilde: false } && !word.StaticValue!.StartsWith('=');

        foreach (var list in parsed.Script.Lists)
            foreach (var pipeline in list.Pipelines)
                foreach (var command in pipeline.Commands)
                {
                    if (command is not SimpleCommand simple || !simple.Words.All(Plain) || !simple.Assignments.All(a => Plain(a.Value))) return false;
                    if (simple.Redirections.Any(r => r.IsHereDoc || (r.Target is { } target && !Plain(target)))) return false;
                }
        return true;
    }

    /// <summary>The dialect of a shell program; null for any other program (eval and trap run scripts in the current shell).</summary>
    private static ShellDialect? ShellOf(string program) => program switch
    {
        "bash" => ShellDialect.Bash,
        "sh" or "dash" or "ash" => ShellDialect.Posix,
        "zsh" or "ksh" or "mksh" => ShellDialect.Other,
        _ => null,
    };

    /// <summary><c>trap ACTION SIGNAL…</c>: the action is a script the shell runs later, like <c>eval</c>.</summary>
    private static string? TrapAction(string[] argv)
    {
        if (argv[0] != "trap") return null;
        var k = 1;
        while (k < argv.Length && argv[k] is "-l" or "-p" or "-lp" or "-pl") k++;
        if (k < argv.Length && argv[k] == "--") k++;
        if (argv.Length - k < 2 || argv[k] is "-" or "") return null;
        return argv[k];
    }
}
