namespace Orchestrator.Core.Shell;

/// <summary><c>$( … )</c> or, when <see cref="Backtick"/>, <c>` … `</c>.</summary>
public sealed record CommandSubstitutionPart(ShellScript Body, bool Backtick) : WordPart
{
    /// <summary>Inside double quotes (or a here-document), so the output is not split into words or globbed.</summary>
    public bool InDoubleQuotes { get; init; }
}
