namespace Orchestrator.Core.Policy.Codex;

/// <summary>The kinds of token in the Starlark subset used by Codex <c>.rules</c> files.</summary>
internal enum CodexTokenKind
{
    Identifier,
    String,
    Number,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Equals,

    /// <summary>Text that could not be tokenized; <see cref="CodexToken.Text"/> holds the error message.</summary>
    Error,
    EndOfFile,
}
