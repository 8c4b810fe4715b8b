using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Tests.Shell;

internal static class ShellTestHelpers
{
    public static ShellParseResult ParseUnderstood(string source)
    {
        var result = ShellParser.Parse(source);
        Assert.True(result.FullyUnderstood, $"expected '{source}' to be understood, got: {result.Problem} at {result.ProblemOffset}");
        return result;
    }

    public static ShellParseResult ParseNotUnderstood(string source)
    {
        var result = ShellParser.Parse(source);
        Assert.False(result.FullyUnderstood, $"expected '{source}' to be not understood");
        Assert.NotNull(result.Problem);
        Assert.NotNull(result.ProblemOffset);
        return result;
    }

    /// <summary>Each simple command rendered as its words' raw text joined by spaces.</summary>
    public static string[] CommandLines(ShellParseResult result) =>
        result.SimpleCommands.Select(command => string.Join(' ', command.Words.Select(word => word.Raw))).ToArray();

    public static string[] CommandNames(ShellParseResult result) =>
        result.SimpleCommands.Where(command => command.Words.Count > 0).Select(command => command.Words[0].StaticValue ?? "?").ToArray();

    public static ShellWord SingleWord(string source)
    {
        var command = Assert.Single(ParseUnderstood("echo " + source).SimpleCommands);
        Assert.Equal(2, command.Words.Count);
        return command.Words[1];
    }
}
