using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.History;

/// <summary>
/// Replaces secret values (<see cref="SecretCandidates"/>) with <c>***</c> for display and export, keeping the
/// recognisable prefix or the variable name. In a shell command only a <see cref="PlainLiteral"/> secret is masked: a
/// value with any expansion, substitution or escape in its word (<c>Bearer a$(…)</c>, <c>${IFS}</c>, backticks, an
/// expanding here-document) is shown in full, so masking never hides what will run. Grants and rules never see masked
/// text: they work on the real input.
/// </summary>
public static class SecretMasker
{
    public const string Mask = "***";

    /// <summary>Plain data (a URL, a file's content, an MCP argument): every candidate is masked.</summary>
    public static MaskedText MaskText(string text) => Apply(text, SecretCandidates.Find(text));

    /// <summary>A bash script: only candidates that are plain literals are masked.</summary>
    public static MaskedText MaskCommand(string command)
    {
        var candidates = SecretCandidates.Find(command);
        if (candidates.Count == 0) return new MaskedText(command, 0);
        var literal = PlainLiteral.In(command);
        return Apply(command, [.. candidates.Where(literal.Covers)]);
    }

    /// <summary>The call with every input value masked, and how many secrets were masked in total.</summary>
    public static MaskedCall MaskCall(ToolCall call)
    {
        var (input, total) = MaskInput(call.ToolName, call.Input);
        return total == 0 ? new MaskedCall(call, 0) : new MaskedCall(call with { Input = input }, total);
    }

    /// <summary>Every value of a tool input masked (a Bash command as a script), and how many secrets were masked in total.</summary>
    public static (ImmutableDictionary<string, string> Input, int Count) MaskInput(string tool, ImmutableDictionary<string, string> input)
    {
        var total = 0;
        var builder = input.ToBuilder();
        foreach (var (key, value) in input)
        {
            var masked = MaskValue(tool, key, value);
            if (masked.Count == 0) continue;
            total += masked.Count;
            builder[key] = masked.Text;
        }
        return total == 0 ? (input, 0) : (builder.ToImmutable(), total);
    }

    /// <summary>One input value as it is shown: a Bash command is masked as a script, anything else as plain data.</summary>
    public static MaskedText MaskValue(string tool, string key, string value) =>
        tool == ToolNames.Bash && key == ToolInputKeys.Command ? MaskCommand(value) : MaskText(value);

    private static MaskedText Apply(string text, IReadOnlyList<SecretSpan> spans)
    {
        if (spans.Count == 0) return new MaskedText(text, 0);
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var span in spans)
        {
            result.Append(text, at, span.Start - at).Append(Mask);
            at = span.End;
        }
        return new MaskedText(result.Append(text, at, text.Length - at).ToString(), spans.Count);
    }
}
