namespace Orchestrator.Core.History;

public sealed record MaskedText(string Text, int Count);
