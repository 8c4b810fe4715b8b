using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;

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
            BashSubject bash => call.InputValue(ToolInputKeys.Command) is not { } command || ScriptMatches(bash.Pattern, command, call.WorkingDirectory),
            PathSubject path => PathMatches(path.Pattern, call),
            DomainSubject domain => call.InputValue(ToolInputKeys.Url) is not { } url
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || domain.Matches(uri.IdnHost),
            GenericSubject generic => call.Input.Values.Any(v => Wildcard.Matches(generic.Pattern, v)),
            _ => true,
        };
    }

    private bool ScriptMatches(BashCommandPattern pattern, string script, string workingDirectory)
    {
        var commands = ScriptCommands.Of(script, CommandClassifier.Default, _homeDirectory, workingDirectory);
        if (!commands.FullyKnown) return true;
        foreach (var command in commands.Commands)
            if (command.Argv.Count > 0 && CommandMatches(pattern, command)) return true;
        return false;
    }

    private static bool CommandMatches(BashCommandPattern pattern, ScriptCommand command)
    {
        var argv = command.Argv.Select(CommandWords.Display).ToArray();
        var program = argv[0];
        var baseName = command.Program;
        if (pattern.Matches(string.Join(' ', argv))) return true;
        if (baseName != program && pattern.Matches(string.Join(' ', argv.Skip(1).Prepend(baseName)))) return true;
        // Arguments only known at run time (here or in the command that runs this one) may make the pattern match,
        // unless its program is another one.
        return HasDynamicWords(command) && (pattern.FirstWord is null || pattern.FirstWord == program || pattern.FirstWord == baseName);
    }

    private static bool HasDynamicWords(ScriptCommand command)
    {
        for (var c = command; c is not null; c = c.Runner)
            for (var k = 0; k < c.Argv.Count; k++)
                if (c.Words.IsDynamic(k)) return true;
        return false;
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
