namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// One token with its 1-based start position. <see cref="Text"/> is the identifier or number as written,
/// the decoded value of a string literal, or the message of an <see cref="CodexTokenKind.Error"/> token.
/// </summary>
internal sealed record CodexToken(CodexTokenKind Kind, string Text, int Line, int Column)
{
    /// <summary>How the token is named in "unexpected ..." messages.</summary>
    public string Describe() => Kind switch
    {
        CodexTokenKind.Identifier => $"identifier {Text}",
        CodexTokenKind.String => $"string {CodexQuoting.Quote(Text)}",
        CodexTokenKind.Number => $"number {Text}",
        CodexTokenKind.LeftParen => "\"(\"",
        CodexTokenKind.RightParen => "\")\"",
        CodexTokenKind.LeftBracket => "\"[\"",
        CodexTokenKind.RightBracket => "\"]\"",
        CodexTokenKind.Comma => "\",\"",
        CodexTokenKind.Equals => "\"=\"",
        CodexTokenKind.EndOfFile => "end of file",
        _ => Text,
    };
}
