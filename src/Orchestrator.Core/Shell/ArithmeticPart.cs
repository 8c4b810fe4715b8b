namespace Orchestrator.Core.Shell;

/// <summary>An arithmetic expansion <c>$(( … ))</c>; <see cref="Raw"/> is its exact source text.</summary>
public sealed record ArithmeticPart(string Raw) : WordPart
{
    /// <summary>Inside double quotes (or a here-document).</summary>
    public bool InDoubleQuotes { get; init; }
}
