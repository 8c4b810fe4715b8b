using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// A hook's <c>if</c>: a permission rule in Claude Code's syntax (<c>Bash(gh api *)</c>, <c>Edit(src/**)</c>) that a
/// call must match for the hook to run. It matches as the rule would: same tool coverage (an <c>Edit</c> condition covers
/// Write), same patterns. A shell command matches when ANY simple command in it matches — anywhere in a list, pipeline
/// or substitution, with assignments stripped, inside wrappers (<c>timeout</c>, <c>env</c>, <c>sh -c</c>, …), by program
/// name when called by path. Whatever cannot be told before the command runs (a program or argument only known at run
/// time, a script the parser does not fully understand) counts as a match: a guard hook runs rather than be skipped.
/// </summary>
public sealed class HookCondition
{
    private const int MaxScriptDepth = 8;

    private readonly PermissionRule _rule;
    private readonly string _homeDirectory;

    private HookCondition(PermissionRule rule, string homeDirectory)
    {
        _rule = rule;
        _homeDirectory = homeDirectory;
    }

    /// <summary>Parses an <c>if</c> value; any problem (a malformed or never-matching rule) is an error message.</summary>
    public static HookCondition? Parse(string text, RuleOrigin origin, RuleContext context, out string? error, out int errorOffset)
    {
        var parsed = RuleParser.Parse(text, RuleDecision.Ask, origin, context);
        error = parsed.Error;
        errorOffset = parsed.ErrorOffset;
        return parsed.Rule is null ? null : new HookCondition(parsed.Rule, context.HomeDirectory);
    }

    public bool Matches(ToolCall call)
    {
        if (!_rule.AppliesToTool(call.ToolName)) return false;
        return _rule.Specifier switch
        {
            AnySubject => true,
            BashSubject bash => call.InputValue(ToolInputKeys.Command) is not { } command || ScriptMatches(bash.Pattern, command, 0),
            PathSubject path => PathMatches(path.Pattern, call),
            DomainSubject domain => call.InputValue(ToolInputKeys.Url) is not { } url
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || domain.Matches(uri.IdnHost),
            GenericSubject generic => call.Input.Values.Any(v => Wildcard.Matches(generic.Pattern, v)),
            _ => true,
        };
    }

    private static bool ScriptMatches(BashCommandPattern pattern, string script, int depth)
    {
        var parsed = ShellParser.Parse(script);
        if (!parsed.FullyUnderstood || depth > MaxScriptDepth) return true;
        foreach (var command in parsed.SimpleCommands)
        {
            if (command.Words.Count == 0) continue;
            if (!command.Words[0].IsStatic || command.Words[0].HasUnquotedGlob) return true;
            var argv = command.Words.Select(w => w.StaticValue ?? w.Raw).ToArray();
            var dynamicArguments = command.Words.Any(w => !w.IsStatic || w.HasUnquotedGlob);
            if (CommandMatches(pattern, argv, dynamicArguments, depth)) return true;
        }
        return false;
    }

    private static bool CommandMatches(BashCommandPattern pattern, IReadOnlyList<string> argv, bool dynamicArguments, int depth)
    {
        var program = argv[0];
        var baseName = program.Contains('/') ? program[(program.LastIndexOf('/') + 1)..] : program;
        if (pattern.Matches(string.Join(' ', argv))) return true;
        if (baseName != program && pattern.Matches(string.Join(' ', argv.Skip(1).Prepend(baseName)))) return true;
        // Arguments only known at run time may make the pattern match, unless its program is another one.
        if (dynamicArguments && (pattern.FirstWord is null || pattern.FirstWord == program || pattern.FirstWord == baseName)) return true;

        var classification = CommandClassifier.Default.Classify(argv);
        foreach (var inner in classification.InnerCommands)
            if (CommandMatches(pattern, inner.Argv, dynamicArguments || inner.Argv.Any(CommandClassification.IsRuntimeWord), depth)) return true;
        return classification.InnerScript is { } innerScript && ScriptMatches(pattern, innerScript, depth + 1);
    }

    private bool PathMatches(PathPattern pattern, ToolCall call)
    {
        var raw = call.InputValue(ToolInputKeys.FilePath) ?? call.InputValue(ToolInputKeys.NotebookPath)
            ?? call.InputValue(ToolInputKeys.Path) ?? call.WorkingDirectory;
        var expanded = PathText.ExpandHome(raw, _homeDirectory);
        string lexical;
        try { lexical = Path.GetFullPath(expanded, call.WorkingDirectory); }
        catch (ArgumentException) { return true; }
        var canonical = PathCanonicalizer.Canonicalize(raw, call.WorkingDirectory, _homeDirectory);
        return !canonical.IsResolved || pattern.Matches(lexical) || pattern.Matches(canonical.FullPath);
    }
}
