using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Decides a shell command: every simple command anywhere in it (pipelines, lists, subshells, substitutions,
/// <c>bash -c</c> scripts, wrapped commands, <c>find -exec</c> and <c>xargs</c> commands) must pass on its own;
/// redirect targets are writes; whatever the parser does not fully understand asks. Deny and ask rules are checked on
/// every command, inside every wrapper, before an allow rule may cover anything, and an allow rule covers only what it
/// names (<see cref="AllowCoverage"/>).
/// </summary>
internal sealed class BashEvaluator(PolicySnapshot snapshot, RuleMatcher rules, PathChecker paths, CommandClassifier classifier)
{
    private const int MaxGlobMatches = GlobExpander.DefaultLimit;

    /// <summary>What one evaluation remembers of the commands already judged, for the commands they run.</summary>
    private sealed class Judged(string? home, IFileView files)
    {
        /// <summary>What <c>~</c> and <c>$HOME</c> mean (<see cref="ScriptCommands.HomeDirectory"/>).</summary>
        public readonly string? Home = home;

        /// <summary>What the path checks may observe of the filesystem.</summary>
        public readonly IFileView Files = files;

        // Made on first use: most commands run no others.
        private Dictionary<ScriptCommand, AllowCoverage?>? _coverage;
        private HashSet<object>? _skipped;

        /// <summary>The allow coverage of a command that runs others (null when none or when an ask rule matched).</summary>
        public AllowCoverage? CoverageOf(ScriptCommand runner) => _coverage?.GetValueOrDefault(runner);

        public void SetCoverage(ScriptCommand runner, AllowCoverage? coverage) =>
            (_coverage ??= new Dictionary<ScriptCommand, AllowCoverage?>(ReferenceEqualityComparer.Instance))[runner] = coverage;

        /// <summary>A command or script whose judgement ended early (a deny rule, a program only known at run time): what it runs is not judged.</summary>
        public bool IsSkipped(object commandOrScript) => _skipped?.Contains(commandOrScript) == true;

        public void Skip(object commandOrScript) => (_skipped ??= new HashSet<object>(ReferenceEqualityComparer.Instance)).Add(commandOrScript);
    }

    /// <summary>The commands of a script as this evaluator reads them (shared with <see cref="FactGatherer"/>).</summary>
    public ScriptCommands Read(string command, string cwd) => ScriptCommands.Of(command, classifier, snapshot.HomeDirectory, cwd);

    public void Evaluate(FindingCollector findings, ScriptCommands commands, IFileView files, EffectiveMode mode)
    {
        var judged = new Judged(commands.HomeDirectory, files);
        var nextScript = 0;
        for (var i = 0; i <= commands.Commands.Count; i++)
        {
            while (nextScript < commands.Scripts.Count && commands.Scripts[nextScript].FirstCommand <= i)
                EvaluateScript(findings, commands.Scripts[nextScript++], mode, judged);
            if (i < commands.Commands.Count) EvaluateCommand(findings, commands.Commands[i], mode, judged);
        }
    }

    private void EvaluateScript(FindingCollector findings, NestedScript script, EffectiveMode mode, Judged judged)
    {
        if (script.Runner is { } runner && judged.IsSkipped(runner))
        {
            judged.Skip(script);
            return;
        }
        // Deny and ask rules also see the whole text, so a rule like Bash(*--force*) cannot be split around.
        var whole = script.Text.Trim();
        if (rules.MatchBashText(RuleDecision.Deny, whole) is { } wholeDeny)
            findings.Add(Decision.Deny, ReasonClass.RuleDeny, "the command matches a deny rule", Short(whole), wholeDeny);

        var parsed = script.Parsed;
        foreach (var unknown in script.Unknowns)
            if (unknown.Kind == ScriptUnknownKind.NotUnderstood) Add(findings, unknown, Short(whole));

        if (parsed.SimpleCommands.Count == 0 && parsed.FullyUnderstood)
            findings.Add(Decision.Allow, ReasonClass.ReadOnly, "no command to run", Short(whole));

        CheckPipelines(findings, parsed, script.Directory, judged.Home);
        foreach (var redirection in parsed.CompoundRedirections)
            CheckRedirection(findings, redirection, script.Directory, judged, mode, Short(whole), addWriteClass: true);
        foreach (var unknown in script.Unknowns)
            if (unknown.Kind != ScriptUnknownKind.NotUnderstood) Add(findings, unknown, Short(unknown.Subject));
    }

    private void EvaluateCommand(FindingCollector findings, ScriptCommand command, EffectiveMode mode, Judged judged)
    {
        var runner = (object?)command.Runner ?? command.Script;
        if (judged.IsSkipped(runner))
        {
            judged.Skip(command);
            return;
        }
        var subject = Short(command.Text);
        var cwd = command.Directory;
        if (command.Source is { } source)
        {
            foreach (var assignment in source.Assignments)
                if (classifier.IsDangerousEnvironmentVariable(assignment.Name, out var why))
                    findings.Add(Decision.Ask, ReasonClass.DangerousEnvironment, $"sets {assignment.Name}: {why}", subject);

            if (command.Argv.Count == 0)
            {
                // A bare assignment or redirection (`x=1`, `> file`).
                foreach (var redirection in source.Redirections)
                    CheckRedirection(findings, redirection, cwd, judged, mode, subject, addWriteClass: true);
                findings.Add(Decision.Allow, ReasonClass.ReadOnly, "no program runs", subject);
                return;
            }
            if (!command.ProgramIsRuntime && DeclarationBuiltins.Contains(command.Argv[0]))
                CheckDeclaredVariables(findings, command.Words.Argv, subject);
        }
        var redirections = command.Source?.Redirections ?? [];
        // A command another one runs is covered by that one's allow rule only where the rule's words reach its program.
        var covering = command.Runner is { } outer ? judged.CoverageOf(outer)?.ForInner(command.StartInRunner) : null;

        var words = command.Words;
        var argv = words.Argv;
        var text = string.Join(' ', argv);
        var readings = new RuleMatcher.Readings();
        // A program whose arguments may be a command we cannot read (unknown to the catalog, or known only as running
        // something: parallel, a script file) has deny and ask rules tried on its trailing words too.
        var unknownProgram = !command.ProgramIsRuntime && argv.Length > 1
            && (!classifier.Knows(argv[0]) || command.Classification is { Risk: CommandRisk.Unknown, InnerCommands.Count: 0, InnerScript: null });
        if ((rules.MatchCommand(RuleDecision.Deny, argv, text, ref readings)
             ?? (unknownProgram ? rules.MatchTrailingCommand(RuleDecision.Deny, argv) : null)) is { } deny)
        {
            findings.Add(Decision.Deny, ReasonClass.RuleDeny, deny.Explain("a deny"), subject, deny.Rule);
            judged.Skip(command);
            return;
        }
        // An ask rule decides the command's own use, but what it runs, writes and reads is still checked (a deny inside stands).
        var ask = rules.MatchCommand(RuleDecision.Ask, argv, text, ref readings)
            ?? (unknownProgram ? rules.MatchTrailingCommand(RuleDecision.Ask, argv) : null);
        if (ask is not null) findings.Add(Decision.Ask, ReasonClass.RuleAsk, ask.Explain("an ask"), subject, ask.Rule);
        if (command.Classification is not { } classification)
        {
            foreach (var unknown in command.Unknowns) Add(findings, unknown, subject);
            foreach (var redirection in redirections) CheckRedirection(findings, redirection, cwd, judged, mode, subject, addWriteClass: true);
            judged.Skip(command);
            return;
        }

        var coverage = ask is not null ? null : AllowCoverage.Of(rules.MatchAllBash(RuleDecision.Allow, argv, text)) ?? covering;
        if (classification.InnerCommands.Count > 0) judged.SetCoverage(command, coverage);
        // Where redirections write first: a protected or outside target is the more telling reason.
        foreach (var redirection in redirections)
            CheckRedirection(findings, redirection, cwd, judged, mode, subject, addWriteClass: false);

        var writesKnown = WritesKnown(classification);
        if (coverage is not null)
        {
            findings.Add(Decision.Allow, ReasonClass.RuleAllow,
                ReferenceEquals(coverage, covering) ? "named by the allow rule of the command that runs it" : "matches an allow rule", subject, coverage.Rule);
            foreach (var hatch in classification.EscapeHatches)
            {
                if (coverage.Names(hatch)) continue;
                var (decision, reason) = DecisionTable.ForRisk(hatch.Risk, true, mode, writesKnown);
                findings.Add(decision, reason, $"{hatch.Reason}, which the allow rule does not name", subject);
            }
        }
        else if (ask is null)
        {
            // Output redirected into a file makes the command a writer, whatever the program is.
            var (risk, why) = (classification.Risk, classification.Reason);
            if (RedirectedInto(redirections, cwd, judged.Home) is { } written && risk < CommandRisk.WorkspaceWrite)
                (risk, why, writesKnown) = (CommandRisk.WorkspaceWrite, $"{classification.Reason}, and its output is redirected into {written}", true);
            // A wrapper's own risk (env setting LD_PRELOAD, bash --rcfile) counts beside the wrapped command's.
            if (risk != CommandRisk.ReadOnly || !RunsOthers(classification))
            {
                var (decision, reason) = DecisionTable.ForRisk(risk, classification.IsEscapeHatch, mode, RunsOthers(classification) && risk == classification.Risk ? false : writesKnown);
                findings.Add(decision, reason, why, subject);
            }
        }

        CheckPaths(findings, classification, words, cwd, mode, judged);
        // What the command runs that cannot be named: code hidden in values, commands or scripts only known at run time.
        foreach (var unknown in command.Unknowns) Add(findings, unknown, subject);
    }

    /// <summary>Whatever keeps a command from being named asks: not understood as unparsed, only known at run time as dynamic.</summary>
    private static void Add(FindingCollector findings, ScriptUnknown unknown, string subject) =>
        findings.Add(Decision.Ask, unknown.Kind switch
        {
            ScriptUnknownKind.RuntimeProgram or ScriptUnknownKind.RuntimeScript => ReasonClass.DynamicCommand,
            _ => ReasonClass.Unparsed,
        }, unknown.Reason, subject);

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

    private static bool RunsOthers(CommandClassification classification) =>
        classification.InnerCommands.Count > 0 || classification.InnerScript is not null;

    /// <summary>Without a sandbox, writes are only judged safe when every written file is known before the command runs.</summary>
    private static bool WritesKnown(CommandClassification classification)
    {
        var any = false;
        foreach (var access in classification.Paths)
        {
            if (access.Kind != PathAccessKind.Write) continue;
            if (CommandClassification.IsRuntimeWord(access.Path)) return false;
            any = true;
        }
        return any;
    }

    private void CheckPaths(FindingCollector findings, CommandClassification classification, CommandWords words, WorkingDirectory cwd, EffectiveMode mode, Judged judged)
    {
        foreach (var access in classification.Paths)
        {
            if (CommandClassification.IsRuntimeWord(access.Path))
            {
                // Unknown writes are weighed by the decision table; an unknown read could be any file, and only a
                // sandbox (which hides denied and sensitive paths) contains that.
                if (access.Kind == PathAccessKind.Read && !mode.Sandboxed)
                    findings.Add(Decision.Ask, ReasonClass.UnresolvablePath,
                        "reads a path only known at run time, which could be a denied or sensitive file, and no sandbox contains this call",
                        $"read {CommandWords.Display(access.Path)}");
                continue;
            }
            if (cwd.Unknown && !Path.IsPathRooted(access.Path) && !access.Path.StartsWith('~'))
            {
                findings.Add(Decision.Ask, ReasonClass.UnresolvablePath, "relative path after a change to a directory only known at run time", access.Path);
                continue;
            }
            foreach (var path in Expanded(findings, access.Path, words.IsGlobValue(access.Path), cwd, judged.Files))
            {
                if (access.Kind == PathAccessKind.Write) paths.CheckWrite(findings, judged.Files, ToolNames.Edit, path, cwd.Current, mode, decideWhenClean: false);
                else paths.CheckRead(findings, judged.Files, ToolNames.Bash, path, cwd.Current, mode, decideWhenClean: false);
            }
        }
    }

    /// <summary>The paths a glob names on disk (or the word itself when nothing matches, as bash passes it on).</summary>
    private IReadOnlyList<string> Expanded(FindingCollector findings, string path, bool isGlob, WorkingDirectory cwd, IFileView files)
    {
        if (!isGlob) return [path];
        var matches = ExpandGlob(path, cwd, files);
        if (matches is null)
        {
            findings.Add(Decision.Ask, ReasonClass.UnresolvablePath, $"the glob matches more than {MaxGlobMatches} paths, too many to check one by one", path);
            return [];
        }
        return matches.Count == 0 ? [path] : matches;
    }

    /// <summary>The paths a glob word names on disk, or null when too many (shared with <see cref="FactGatherer"/>).</summary>
    public IReadOnlyList<string>? ExpandGlob(string path, WorkingDirectory cwd, IFileView files) =>
        GlobExpander.Expand(PathText.ExpandHome(path, snapshot.HomeDirectory), cwd.Current, MaxGlobMatches, files);

    /// <summary>The first file a redirection of the command writes (not a device sink), when its name is known.</summary>
    private static string? RedirectedInto(IReadOnlyList<Redirection> redirections, WorkingDirectory cwd, string? home)
    {
        foreach (var redirection in redirections)
            if (redirection is { IsFileWrite: true, Target: { } target }
                && CommandWords.ValueOf(target, cwd, home) is { } name
                && !PathAccessPolicy.IsDeviceSink(name))
                return name;
        return null;
    }

    /// <param name="addWriteClass">Add the workspace-write class for a file written (redirections of compound commands
    /// and of bare redirections; a simple command's are weighed with its own class).</param>
    private void CheckRedirection(FindingCollector findings, Redirection redirection, WorkingDirectory cwd, Judged judged, EffectiveMode mode,
        string subject, bool addWriteClass)
    {
        var home = judged.Home;
        if (redirection.Target is null) return;
        var isRead = redirection.Operator is "<" or "<>";
        if (!redirection.IsFileWrite && !isRead) return;
        var target = CommandWords.ValueOf(redirection.Target, cwd, home);
        if (target is null || redirection.Target.HasUnquotedGlob || redirection.Target.HasBraceExpansion)
        {
            findings.Add(Decision.Ask, ReasonClass.DynamicCommand,
                $"redirection target '{redirection.Target.Raw}' is only known at run time", subject);
            return;
        }
        if (cwd.Unknown && !Path.IsPathRooted(target) && !target.StartsWith('~'))
        {
            findings.Add(Decision.Ask, ReasonClass.UnresolvablePath, "relative redirection after a change to a directory only known at run time", subject);
            return;
        }
        if (redirection.IsFileWrite)
        {
            paths.CheckWrite(findings, judged.Files, ToolNames.Edit, target, cwd.Current, mode, decideWhenClean: false);
            if (addWriteClass && !PathAccessPolicy.IsDeviceSink(target))
            {
                var (decision, reason) = DecisionTable.ForRisk(CommandRisk.WorkspaceWrite, false, mode, writePathsKnown: true);
                findings.Add(decision, reason, $"redirects output into {target}, which writes that file", subject);
            }
        }
        if (isRead)
            paths.CheckRead(findings, judged.Files, ToolNames.Bash, target, cwd.Current, mode, decideWhenClean: false);
    }

    /// <summary>Deny and ask rules written as pipelines (<c>curl * | sh</c>) against every pipeline of the script.</summary>
    private void CheckPipelines(FindingCollector findings, ShellParseResult parsed, WorkingDirectory cwd, string? home)
    {
        foreach (var decision in (ReadOnlySpan<RuleDecision>)[RuleDecision.Deny, RuleDecision.Ask])
        {
            var pipelineRules = rules.PipelineRules(decision);
            if (pipelineRules.Count == 0) continue;
            foreach (var pipeline in parsed.Pipelines)
            {
                CommandWords?[]? stages = null;
                foreach (var rule in pipelineRules)
                {
                    var pattern = ((BashSubject)rule.Specifier).Pattern;
                    if (!MayMatch(pattern.Stages, pipeline)) continue;
                    stages ??= pipeline.Commands
                        .Select(c => c is SimpleCommand { Words.Count: > 0 } simple ? CommandWords.From(simple.Words, cwd, home) : null)
                        .ToArray();
                    if (!PipelineMatches(pattern.Stages, stages)) continue;
                    var (d, c) = decision == RuleDecision.Deny ? (Decision.Deny, ReasonClass.RuleDeny) : (Decision.Ask, ReasonClass.RuleAsk);
                    findings.Add(d, c, $"a pipeline matches {(d == Decision.Deny ? "a deny" : "an ask")} rule", Short(string.Join(" | ", stages.Select(s => s is null ? "…" : string.Join(' ', s.Argv)))), rule);
                    break;
                }
            }
        }
    }

    /// <summary>A cheap necessary condition: every stage's program appears as a word of the pipeline (as itself or
    /// after a wrapper), so a pipeline that cannot match is not expanded and classified.</summary>
    private static bool MayMatch(IReadOnlyList<BashCommandPattern> patterns, Pipeline pipeline)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.FirstWord is not { } program) continue;
            var found = false;
            for (var c = 0; c < pipeline.Commands.Count && !found; c++)
            {
                if (pipeline.Commands[c] is not SimpleCommand simple) { found = true; break; }
                for (var w = 0; w < simple.Words.Count && !found; w++)
                    found = simple.Words[w].StaticValue is not { } value || value == program
                        || (value.EndsWith(program, StringComparison.Ordinal) && value.Length > program.Length && value[^(program.Length + 1)] == '/');
            }
            if (!found) return false;
        }
        return true;
    }

    private bool PipelineMatches(IReadOnlyList<BashCommandPattern> patterns, CommandWords?[] stages)
    {
        for (var start = 0; start + patterns.Count <= stages.Length; start++)
        {
            var all = true;
            for (var k = 0; k < patterns.Count && all; k++)
                all = stages[start + k] is { } stage && StageMatches(patterns[k], stage.Argv, depth: 0);
            if (all) return true;
        }
        return false;
    }

    /// <summary>A stage pattern matches the command as written, as its program reads it, or any command it runs (<c>sudo bash</c>).</summary>
    private bool StageMatches(BashCommandPattern pattern, IReadOnlyList<string> argv, int depth)
    {
        if (argv.Count == 0 || depth > ScriptCommands.MaxScriptDepth) return false;
        var text = string.Join(' ', argv);
        if (pattern.Matches(text)) return true;
        var program = argv[0].Contains('/') ? argv[0][(argv[0].LastIndexOf('/') + 1)..] : argv[0];
        if (pattern.FirstWord is { } first && first == program
            && ShapeMatch.Matches(rules.PatternShape(pattern), pattern.AcceptsMoreArguments, classifier.Describe(argv)))
            return true;
        foreach (var inner in classifier.Classify(argv).InnerCommands)
            if (StageMatches(pattern, inner.Argv, depth + 1)) return true;
        return false;
    }

    private static string Short(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
