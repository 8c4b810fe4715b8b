namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Checks the meaning of one parsed <c>prefix_rule(...)</c> call and turns it into a <see cref="CodexPrefixRule"/>,
/// including validating its inline <c>match</c>/<c>not_match</c> examples. A call with any error yields no rule.
/// </summary>
internal static class CodexRuleBuilder
{
    private const string Pattern = "pattern";
    private const string Decision = "decision";
    private const string Justification = "justification";
    private const string Match = "match";
    private const string NotMatch = "not_match";

    private static readonly string[] KnownKeywords = [Pattern, Decision, Justification, Match, NotMatch];

    public static CodexPrefixRule? Build(CodexCall call, List<PolicyLoadError> errors)
    {
        var errorCountBefore = errors.Count;
        var arguments = CollectKeywordArguments(call, errors);

        IReadOnlyList<IReadOnlyList<string>>? pattern = null;
        if (arguments.TryGetValue(Pattern, out var patternValue))
        {
            pattern = ReadPattern(patternValue, errors);
        }
        else
        {
            errors.Add(new PolicyLoadError(call.Location, $"{call.Function} is missing required argument \"{Pattern}\""));
        }

        var decision = CodexDecision.Allow;
        if (arguments.TryGetValue(Decision, out var decisionValue))
        {
            decision = ReadDecision(decisionValue, errors) ?? decision;
        }

        string? justification = null;
        if (arguments.TryGetValue(Justification, out var justificationValue))
        {
            justification = ReadString(justificationValue, Justification, errors);
        }

        var matchExamples = arguments.TryGetValue(Match, out var matchValue) ? ReadExamples(matchValue, Match, errors) : [];
        var notMatchExamples = arguments.TryGetValue(NotMatch, out var notMatchValue) ? ReadExamples(notMatchValue, NotMatch, errors) : [];

        if (pattern is null || errors.Count > errorCountBefore)
        {
            return null;
        }

        var rule = CodexPrefixRule.Create(pattern, decision, justification, call.Location);
        foreach (var example in matchExamples.Where(example => !rule.Matches(example.Argv)))
        {
            errors.Add(new PolicyLoadError(example.Location, $"{Match} example {example.Display} does not match {rule.Text}"));
        }

        foreach (var example in notMatchExamples.Where(example => rule.Matches(example.Argv)))
        {
            errors.Add(new PolicyLoadError(example.Location, $"{NotMatch} example {example.Display} matches {rule.Text}"));
        }

        return errors.Count > errorCountBefore ? null : rule;
    }

    private static Dictionary<string, CodexValue> CollectKeywordArguments(CodexCall call, List<PolicyLoadError> errors)
    {
        var arguments = new Dictionary<string, CodexValue>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null || argument.NameLocation is null)
            {
                errors.Add(new PolicyLoadError(argument.Value.Location,
                    $"{call.Function} takes keyword arguments only; found a positional argument"));
            }
            else if (!KnownKeywords.Contains(argument.Name, StringComparer.Ordinal))
            {
                errors.Add(new PolicyLoadError(argument.NameLocation,
                    $"unknown keyword argument \"{argument.Name}\" to {call.Function}; expected one of {string.Join(", ", KnownKeywords)}"));
            }
            else if (!arguments.TryAdd(argument.Name, argument.Value))
            {
                errors.Add(new PolicyLoadError(argument.NameLocation, $"duplicate keyword argument \"{argument.Name}\""));
            }
        }

        return arguments;
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
                    var strings = ReadStrings(alternatives, $"{Pattern} alternatives must be strings", errors);
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
        var text = ReadString(value, Decision, errors);
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

    private static string? ReadString(CodexValue value, string keyword, List<PolicyLoadError> errors)
    {
        if (value is CodexStringValue text)
        {
            return text.Value;
        }

        errors.Add(new PolicyLoadError(value.Location, $"{keyword} must be a string; found {value.Describe()}"));
        return null;
    }

    /// <summary>Reads every item as a string, reporting each non-string; null when any item is not a string.</summary>
    private static string[]? ReadStrings(CodexListValue list, string requirement, List<PolicyLoadError> errors)
    {
        var strings = new string[list.Items.Count];
        var valid = true;
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is CodexStringValue text)
            {
                strings[i] = text.Value;
            }
            else
            {
                errors.Add(new PolicyLoadError(list.Items[i].Location, $"{requirement}; found {list.Items[i].Describe()}"));
                valid = false;
            }
        }

        return valid ? strings : null;
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
                    var argv = ReadStrings(tokens, $"{keyword} example tokens must be strings", errors);
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
