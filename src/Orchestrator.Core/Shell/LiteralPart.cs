namespace Orchestrator.Core.Shell;

/// <summary>Literal text after quote removal (ANSI-C escapes already decoded).</summary>
public sealed record LiteralPart(string Text, QuoteKind Quote) : WordPart;
