namespace Orchestrator.Core.Shell;

/// <summary><c>&lt;( … )</c> when <see cref="IsInput"/>, else <c>&gt;( … )</c>.</summary>
public sealed record ProcessSubstitutionPart(ShellScript Body, bool IsInput) : WordPart;
