namespace Orchestrator.Core.Shell;

/// <summary>An arithmetic expansion <c>$(( … ))</c>; <see cref="Raw"/> is its exact source text.</summary>
public sealed record ArithmeticPart(string Raw) : WordPart;
