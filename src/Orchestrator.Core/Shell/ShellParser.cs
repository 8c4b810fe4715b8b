namespace Orchestrator.Core.Shell;

/// <summary>Parses bash command text into a <see cref="ShellScript"/>. Never throws.</summary>
public static class ShellParser
{
    /// <summary>Nesting of lists, subshells and substitutions beyond this depth is reported as not understood.</summary>
    public const int MaxNestingDepth = 64;

    public static ShellParseResult Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            WordBuilderStack.ForCurrentThread.Clear();
            var outcome = ShellSyntaxParser.ParseScript(source, baseOffset: 0, depth: 0);
            return new ShellParseResult(outcome.Value, outcome.Problem is null, outcome.Problem?.Message, outcome.Problem?.Offset);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Safety net: a parser bug must surface as "ask a human", never as a crash of the decision path.
            return new ShellParseResult(ShellScript.Empty, false, $"internal parser error: {exception.GetType().Name}", 0);
        }
    }
}
