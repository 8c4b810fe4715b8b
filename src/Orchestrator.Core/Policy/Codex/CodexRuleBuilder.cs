namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Checks the meaning of one parsed <c>prefix_rule(...)</c> call and turns it into a <see cref="CodexPrefixRule"/> with
/// its inline <c>match</c>/<c>not_match</c> examples. The examples are checked once the whole file is read
/// (<see cref="CheckExamples"/>), because a later <c>host_executable</c> can change what they match, as in Codex.
/// A call with any error yields no rule.
/// </summary>
internal static class CodexRuleBuilder
{
    public const string Function = "prefix_rule";
    private const string Pattern = "pattern";
    private const string Decision = "decision";
    private const string Justification = "justification";
    private const string Match = "match";
    private const string NotMatch = "not_match";

    private static readonly string[] KnownKeywords = [Pattern, Decision, Justification, Match, NotMatch];

    /// <summary>A rule whose examples are still to be checked.</summary>
    public sealed record Pending(CodexPrefixRule Rule, IReadOnlyList<CodexExample> Matches, IReadOnlyList<CodexExample> NotMatches);

    public static Pending? Build(CodexCall call, List<PolicyLoadError> errors)
    {
        var errorCountBefore = errors.Count;
        var arguments = CodexArguments.Collect(call, KnownKeywords, errors);

        IReadOnlyList<IReadOnlyList<string>>? pattern = null;
        if (CodexArguments.Required(call, arguments, Pattern, errors) is { } patternValue)
        {
            pattern = ReadPattern(patternValue, errors);
        }

        var decision = CodexDecision.Allow;
        if (arguments.TryGetValue(Decision, out var decisionValue))
        {
            decision = ReadDecision(decisionValue, errors) ?? decision;
        }

        var justification = CodexArguments.ReadJustification(arguments, errors);
        var matchExamples = arguments.TryGetValue(Match, out var matchValue) ? ReadExamples(matchValue, Match, errors) : [];
        var notMatchExamples = arguments.TryGetValue(NotMatch, out var notMatchValue) ? ReadExamples(notMatchValue, NotMatch, errors) : [];

        if (pattern is null || errors.Count > errorCountBefore)
        {
            return null;
        }

        return new Pending(CodexPrefixRule.Create(pattern, decision, justification, call.Location), matchExamples, notMatchExamples);
    }

    /// <summary>
    /// Checks a rule's examples as Codex does: a command naming a program by absolute path also matches the rule for
    /// the program's name, unless a <c>host_executable</c> for that name lists other paths only. True when all pass.
    /// </summary>
    public static bool CheckExamples(Pending pending, CodexHostExecutables hosts, List<PolicyLoadError> errors)
    {
        var before = errors.Count;
        var rule = pending.Rule;
        foreach (var example in pending.Matches.Where(example => !hosts.ExampleMatches(rule, example.Argv)))
        {
            errors.Add(new PolicyLoadError(example.Location, $"{Match} example {example.Display} does not match {rule.Text}"));
        }

        foreach (var example in pending.NotMatches.Where(example => hosts.ExampleMatches(rule, example.Argv)))
        {
            errors.Add(new PolicyLoadError(example.Location, $"{NotMatch} example {example.Display} matches {rule.Text}"));
        }

        return errors.Count == before;
    }

    private static IReadOnlyList<IReadOnlyList<string>>? ReadPattern(CodexValue value, List<PolicyLoadError> errors)
    {
        if (value is not CodexListValue list)
        {
            errors.Add(new PolicyLoadError(value.Location, $"{Pattern} must be a list; found {value.Describe()}"));
            return null;
        }

        if (list.Items.Count == 0)
        {
            errors.Add(new PolicyLoadError(list.Location, $"{Pattern} must not be empty"));
            return null;
        }

        var pattern = new List<IReadOnlyList<string>>();
        var valid = true;
        foreach (var element in list.Items)
        {
            switch (element)
            {
                case CodexStringValue token:
                    pattern.Add([token.Value]);
                    break;
                case CodexListValue { Items.Count: 0 }:
                    errors.Add(new PolicyLoadError(element.Location, $"{Pattern} alternatives list must not be empty"));
                    valid = false;
                    break;
                case CodexListValue alternatives:
                    var strings = CodexArguments.ReadStrings(alternatives, $"{Pattern} alternatives must be strings", errors);
                    valid &= strings is not null;
                    if (strings is not null)
                    {
                        pattern.Add(strings);
                    }

                    break;
                default:
                    errors.Add(new PolicyLoadError(element.Location,
                        $"{Pattern} elements must be strings or lists of strings; found {element.Describe()}"));
                    valid = false;
                    break;
            }
        }

        return valid ? pattern : null;
    }

    private static CodexDecision? ReadDecision(CodexValue value, List<PolicyLoadError> errors)
    {
        var text = CodexArguments.ReadString(value, Decision, errors);
        if (text is null)
        {
            return null;
        }

        if (CodexDecisions.TryParse(text, out var decision))
        {
            return decision;
        }

        var expected = string.Join(", ", CodexDecisions.Names.Select(CodexQuoting.Quote));
        errors.Add(new PolicyLoadError(value.Location, $"{Decision} must be one of {expected}; found {CodexQuoting.Quote(text)}"));
        return null;
    }

    private static List<CodexExample> ReadExamples(CodexValue value, string keyword, List<PolicyLoadError> errors)
    {
        var examples = new List<CodexExample>();
        if (value is not CodexListValue list)
        {
            errors.Add(new PolicyLoadError(value.Location, $"{keyword} must be a list of examples; found {value.Describe()}"));
            return examples;
        }

        foreach (var item in list.Items)
        {
            switch (item)
            {
                case CodexStringValue command:
                    if (CodexShellSplitter.TrySplit(command.Value, out var words, out var splitError))
                    {
                        examples.Add(new CodexExample(words, CodexQuoting.Quote(command.Value), item.Location));
                    }
                    else
                    {
                        errors.Add(new PolicyLoadError(item.Location, $"{keyword} example {CodexQuoting.Quote(command.Value)} {splitError}"));
                    }

                    break;
                case CodexListValue tokens:
                    var argv = CodexArguments.ReadStrings(tokens, $"{keyword} example tokens must be strings", errors);
                    if (argv is not null)
                    {
                        examples.Add(new CodexExample(argv, CodexQuoting.QuoteList(argv), item.Location));
                    }

                    break;
                default:
                    errors.Add(new PolicyLoadError(item.Location,
                        $"{keyword} examples must be strings or lists of strings; found {item.Describe()}"));
                    break;
            }
        }

        return examples;
    }
}
