namespace Orchestrator.Core.Shell;

/// <summary><c>$( … )</c> or, when <see cref="Backtick"/>, <c>` … `</c>.</summary>
public sealed record CommandSubstitutionPart(ShellScript Body, bool Backtick) : WordPart;
