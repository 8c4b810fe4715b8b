namespace Orchestrator.Core.Policy.Codex;

/// <summary>Thrown inside <see cref="CodexSyntaxParser"/> to abandon the current statement; never escapes the parser.</summary>
internal sealed class CodexSyntaxError(int tokenIndex, string message) : Exception(message)
{
    public int TokenIndex { get; } = tokenIndex;
}
