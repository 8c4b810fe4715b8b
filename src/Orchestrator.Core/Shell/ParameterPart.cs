namespace Orchestrator.Core.Shell;

/// <summary>
/// A parameter expansion such as <c>$HOME</c>, <c>$1</c> or <c>${x:-y}</c>.
/// <see cref="Name"/> is the parameter's name when it could be determined, else null.
/// </summary>
public sealed record ParameterPart(string Raw, string? Name) : WordPart
{
    /// <summary>Inside double quotes (or a here-document), so the result is not split into words or globbed.</summary>
    public bool InDoubleQuotes { get; init; }
}
