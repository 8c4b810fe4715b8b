namespace Orchestrator.Core.Policy.Codex;

/// <summary>Reading the keyword arguments of a <c>.rules</c> call, shared by every function's builder.</summary>
internal static class CodexArguments
{
    /// <summary>The keyword arguments by name; positional, unknown and repeated arguments are reported.</summary>
    public static Dictionary<string, CodexValue> Collect(CodexCall call, IReadOnlyList<string> known, List<PolicyLoadError> errors)
    {
        var arguments = new Dictionary<string, CodexValue>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null || argument.NameLocation is null)
            {
                errors.Add(new PolicyLoadError(argument.Value.Location,
                    $"{call.Function} takes keyword arguments only; found a positional argument"));
            }
            else if (!known.Contains(argument.Name, StringComparer.Ordinal))
            {
                errors.Add(new PolicyLoadError(argument.NameLocation,
                    $"unknown keyword argument \"{argument.Name}\" to {call.Function}; expected one of {string.Join(", ", known)}"));
            }
            else if (!arguments.TryAdd(argument.Name, argument.Value))
            {
                errors.Add(new PolicyLoadError(argument.NameLocation, $"duplicate keyword argument \"{argument.Name}\""));
            }
        }

        return arguments;
    }

    /// <summary>A required argument's value, or null after reporting it missing at the call.</summary>
    public static CodexValue? Required(CodexCall call, Dictionary<string, CodexValue> arguments, string keyword, List<PolicyLoadError> errors)
    {
        if (arguments.TryGetValue(keyword, out var value)) return value;
        errors.Add(new PolicyLoadError(call.Location, $"{call.Function} is missing required argument \"{keyword}\""));
        return null;
    }

    public static string? ReadString(CodexValue value, string keyword, List<PolicyLoadError> errors)
    {
        if (value is CodexStringValue text) return text.Value;
        errors.Add(new PolicyLoadError(value.Location, $"{keyword} must be a string; found {value.Describe()}"));
        return null;
    }

    /// <summary>Reads every item as a string, reporting each non-string; null when any item is not a string.</summary>
    public static string[]? ReadStrings(CodexListValue list, string requirement, List<PolicyLoadError> errors)
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

    /// <summary>Codex rejects a justification that is empty or only whitespace, for every function that takes one.</summary>
    public static string? ReadJustification(Dictionary<string, CodexValue> arguments, List<PolicyLoadError> errors)
    {
        if (!arguments.TryGetValue("justification", out var value) || ReadString(value, "justification", errors) is not { } text)
            return null;
        if (text.Trim().Length > 0) return text;
        errors.Add(new PolicyLoadError(value.Location, "invalid rule: justification cannot be empty"));
        return null;
    }
}
