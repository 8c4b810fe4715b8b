using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Decides a shell command: every simple command anywhere in it (pipelines, lists, subshells, substitutions,
/// <c>bash -c</c> scripts, wrapped commands) must pass on its own; redirect targets are writes; whatever the parser
/// does not fully understand asks.
/// </summary>
internal sealed class BashEvaluator(PolicySnapshot snapshot, RuleMatcher rules, PathChecker paths, CommandClassifier classifier)
{
    private const int MaxScriptDepth = 8;

    public void Evaluate(FindingCollector findings, string command, string cwd, EffectiveMode mode) =>
        EvaluateScript(findings, command, new DirectoryTracker(cwd), mode, depth: 0);

    private void EvaluateScript(FindingCollector findings, string script, DirectoryTracker cwd, EffectiveMode mode, int depth)
    {
        // Deny and ask rules also see the whole text, so a rule like Bash(*--force*) cannot be split around.
        var whole = script.Trim();
        if (rules.MatchBashText(RuleDecision.Deny, whole) is { } wholeDeny)
            findings.Add(Decision.Deny, ReasonClass.RuleDeny, "the command matches a deny rule", Short(whole), wholeDeny);

        var parsed = ShellParser.Parse(script);
        if (!parsed.FullyUnderstood)
            findings.Add(Decision.Ask, ReasonClass.Unparsed,
                $"the shell parser does not fully understand this command: {parsed.Problem}" +
                (parsed.ProblemOffset is { } at ? $" (at offset {at})" : ""), Short(whole));

        if (parsed.SimpleCommands.Count == 0 && parsed.FullyUnderstood)
            findings.Add(Decision.Allow, ReasonClass.ReadOnly, "no command to run", Short(whole));

        foreach (var command in parsed.SimpleCommands)
            EvaluateSimpleCommand(findings, command, cwd, mode, depth);
    }

    private void EvaluateSimpleCommand(FindingCollector findings, SimpleCommand command, DirectoryTracker cwd, EffectiveMode mode, int depth)
    {
        var subject = Short(command.SourceText);
        foreach (var assignment in command.Assignments)
            if (classifier.IsDangerousEnvironmentVariable(assignment.Name, out var why))
                findings.Add(Decision.Ask, ReasonClass.DangerousEnvironment, $"sets {assignment.Name}: {why}", subject);

        foreach (var redirection in command.Redirections)
            CheckRedirection(findings, redirection, cwd, mode, subject);

        if (command.Words.Count == 0)
        {
            // A bare assignment or redirection (`x=1`, `> file`): its parts were checked above.
            findings.Add(Decision.Allow, ReasonClass.ReadOnly, "no program runs", subject);
            return;
        }

        var argv = new string[command.Words.Count];
        HashSet<string>? dynamicWords = null;
        for (var i = 0; i < argv.Length; i++)
        {
            var word = command.Words[i];
            argv[i] = word.StaticValue ?? word.Raw;
            if (!word.IsStatic) (dynamicWords ??= new HashSet<string>(StringComparer.Ordinal)).Add(argv[i]);
        }
        var programIsStatic = command.Words[0].IsStatic && !command.Words[0].HasUnquotedGlob;
        if (programIsStatic && DeclarationBuiltins.Contains(argv[0]))
            CheckDeclaredVariables(findings, argv, subject);
        EvaluateArgv(findings, argv, programIsStatic, cwd, mode, depth, subject, dynamicWords);
    }

    /// <summary>Builtins whose NAME=VALUE arguments set variables like assignments do.</summary>
    private static readonly HashSet<string> DeclarationBuiltins = ["export", "declare", "typeset", "local", "readonly"];

    private void CheckDeclaredVariables(FindingCollector findings, string[] argv, string subject)
    {
        for (var i = 1; i < argv.Length; i++)
        {
            var arg = argv[i];
            if (arg.StartsWith('-')) continue;
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg : arg[..eq].TrimEnd('+');
            if (classifier.IsDangerousEnvironmentVariable(name, out var why))
                findings.Add(Decision.Ask, ReasonClass.DangerousEnvironment, $"sets {name}: {why}", subject);
        }
    }

    private void EvaluateArgv(FindingCollector findings, IReadOnlyList<string> argv, bool programIsStatic, DirectoryTracker cwd,
        EffectiveMode mode, int depth, string subject, HashSet<string>? dynamicWords = null)
    {
        var text = string.Join(' ', argv);
        var program = argv[0];
        var baseName = program.Contains('/') ? program[(program.LastIndexOf('/') + 1)..] : null;
        string[]? baseArgv = baseName is { Length: > 0 } ? [baseName, .. argv.Skip(1)] : null;
        var baseText = baseArgv is null ? null : string.Join(' ', baseArgv);

        // Deny and ask rules match the program by name even when it is called by path; allow rules only as written.
        var deny = rules.MatchBash(RuleDecision.Deny, argv, text) ?? (baseArgv is null ? null : rules.MatchBash(RuleDecision.Deny, baseArgv, baseText!));
        if (deny is not null)
        {
            findings.Add(Decision.Deny, ReasonClass.RuleDeny, "matches a deny rule", subject, deny);
            return;
        }
        var ask = rules.MatchBash(RuleDecision.Ask, argv, text) ?? (baseArgv is null ? null : rules.MatchBash(RuleDecision.Ask, baseArgv, baseText!));
        if (ask is not null)
        {
            findings.Add(Decision.Ask, ReasonClass.RuleAsk, "matches an ask rule", subject, ask);
            return;
        }
        if (!programIsStatic)
        {
            findings.Add(Decision.Ask, ReasonClass.DynamicCommand, "the program name is only known at run time", subject);
            return;
        }

        var classification = classifier.Classify(argv);
        if (classification.ChangesDirectoryTo is { } target) cwd.ChangeTo(target, snapshot.HomeDirectory);

        var allow = rules.MatchBash(RuleDecision.Allow, argv, text);
        if (allow is not null)
        {
            findings.Add(Decision.Allow, ReasonClass.RuleAllow, "matches an allow rule", subject, allow);
            // An allow rule covers the command, not the files a rule elsewhere protects.
            CheckPaths(findings, classification, cwd, mode, onlyRules: true, dynamicWords);
            return;
        }

        if (classification.InnerCommand is { Count: > 0 } inner)
        {
            var innerCwd = cwd;
            if (classification.InnerWorkingDirectory is { } dir)
            {
                innerCwd = cwd.Fork();
                innerCwd.ChangeTo(dir, snapshot.HomeDirectory);
            }
            AddWrapperRisk(findings, classification, mode, subject);
            EvaluateArgv(findings, inner, programIsStatic: !(dynamicWords?.Contains(inner[0]) ?? false), innerCwd, mode, depth, subject, dynamicWords);
            return;
        }
        if (classification.InnerScript is { } innerScript)
        {
            AddWrapperRisk(findings, classification, mode, subject);
            if (depth >= MaxScriptDepth)
                findings.Add(Decision.Ask, ReasonClass.Unparsed, $"shell scripts nested deeper than {MaxScriptDepth} levels", subject);
            else
                EvaluateScript(findings, innerScript, cwd.Fork(), mode, depth + 1);
            return;
        }

        // Without a sandbox, writes are only judged safe when every written file is known before the command runs.
        var writes = classification.Paths.Where(p => p.Kind == PathAccessKind.Write).ToArray();
        var writesKnown = writes.Length > 0 && !writes.Any(w => dynamicWords?.Contains(w.Path) ?? false);
        var (decision, reason) = DecisionTable.ForRisk(classification.Risk, classification.IsEscapeHatch, mode, writesKnown);
        findings.Add(decision, reason, classification.Reason, subject);
        CheckPaths(findings, classification, cwd, mode, onlyRules: false, dynamicWords);
    }

    /// <summary>A wrapper's or shell's own risk (env setting LD_PRELOAD, bash --rcfile) counts beside the wrapped command's.</summary>
    private static void AddWrapperRisk(FindingCollector findings, CommandClassification classification, EffectiveMode mode, string subject)
    {
        if (classification.Risk == CommandRisk.ReadOnly) return;
        var (decision, reason) = DecisionTable.ForRisk(classification.Risk, classification.IsEscapeHatch, mode, writePathsKnown: false);
        findings.Add(decision, reason, classification.Reason, subject);
    }

    private void CheckPaths(FindingCollector findings, CommandClassification classification, DirectoryTracker cwd, EffectiveMode mode,
        bool onlyRules, HashSet<string>? dynamicWords)
    {
        foreach (var access in classification.Paths)
        {
            // A path only known at run time cannot be checked here; the decision table already treats it as unknown.
            if (dynamicWords?.Contains(access.Path) ?? false) continue;
            if (cwd.Unknown && !Path.IsPathRooted(access.Path) && !access.Path.StartsWith('~'))
            {
                findings.Add(Decision.Ask, ReasonClass.UnresolvablePath, "relative path after a change to a directory only known at run time", access.Path);
                continue;
            }
            if (access.Kind == PathAccessKind.Write)
            {
                if (onlyRules) paths.CheckWriteRulesOnly(findings, access.Path, cwd.Current);
                else paths.CheckWrite(findings, ToolNames.Bash, access.Path, cwd.Current, mode, decideWhenClean: false);
            }
            else
                paths.CheckRead(findings, ToolNames.Bash, access.Path, cwd.Current, mode, decideWhenClean: false);
        }
    }

    private void CheckRedirection(FindingCollector findings, Redirection redirection, DirectoryTracker cwd, EffectiveMode mode, string subject)
    {
        if (redirection.Target is null) return;
        var isRead = redirection.Operator is "<" or "<>";
        if (!redirection.IsFileWrite && !isRead) return;
        if (!redirection.Target.IsStatic || redirection.Target.HasUnquotedGlob)
        {
            findings.Add(Decision.Ask, ReasonClass.DynamicCommand,
                $"redirection target '{redirection.Target.Raw}' is only known at run time", subject);
            return;
        }
        var target = redirection.Target.StaticValue!;
        if (cwd.Unknown && !Path.IsPathRooted(target) && !target.StartsWith('~'))
        {
            findings.Add(Decision.Ask, ReasonClass.UnresolvablePath, "relative redirection after a change to a directory only known at run time", subject);
            return;
        }
        if (redirection.IsFileWrite)
            paths.CheckWrite(findings, ToolNames.Bash, target, cwd.Current, mode, decideWhenClean: false);
        else
            paths.CheckRead(findings, ToolNames.Bash, target, cwd.Current, mode, decideWhenClean: false);
    }

    private static string Short(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
