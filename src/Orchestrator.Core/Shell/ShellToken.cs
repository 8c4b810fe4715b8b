namespace Orchestrator.Core.Shell;

internal enum ShellTokenKind
{
    EndOfInput,
    Newline,
    Operator,
    Word,

    /// <summary>Digits directly followed by <c>&lt;</c> or <c>&gt;</c>, as in <c>2&gt;</c>.</summary>
    IoNumber,

    /// <summary><c>{name}</c> directly followed by <c>&lt;</c> or <c>&gt;</c>.</summary>
    IoVariable,
}

/// <summary>
/// One lexical token. Offsets are local to the parser's source. <see cref="Text"/> is the operator,
/// or the raw source text of a word.
/// </summary>
internal readonly record struct ShellToken(ShellTokenKind Kind, int Start, int End, string Text, ShellWord? Word)
{
    public bool IsOperator(string text) => Kind == ShellTokenKind.Operator && Text == text;

    public string Describe() => Kind switch
    {
        ShellTokenKind.EndOfInput => "end of input",
        ShellTokenKind.Newline => "newline",
        _ => $"'{Text}'",
    };
}
