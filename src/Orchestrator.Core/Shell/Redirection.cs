namespace Orchestrator.Core.Shell;

/// <summary>
/// One redirection. <see cref="Operator"/> is one of <c>&lt; &gt; &gt;&gt; &gt;| &lt;&gt; &lt;&lt; &lt;&lt;-
/// &lt;&lt;&lt; &gt;&amp; &lt;&amp; &amp;&gt; &amp;&gt;&gt;</c>. For here-documents <see cref="Target"/> is the
/// delimiter word, <see cref="HereDocBody"/> the body text (leading tabs already stripped for <c>&lt;&lt;-</c>),
/// and <see cref="HereDocContent"/> the body parsed for expansions when <see cref="HereDocExpands"/>.
/// </summary>
public sealed record Redirection(int? Fd, string Operator, ShellWord? Target, string? HereDocBody, bool HereDocExpands)
{
    public ShellWord? HereDocContent { get; init; }

    public bool IsHereDoc => Operator is "<<" or "<<-";

    /// <summary>True when the redirection can create or modify a file named by <see cref="Target"/>.</summary>
    public bool IsFileWrite => Operator switch
    {
        ">" or ">>" or ">|" or "&>" or "&>>" or "<>" => true,
        ">&" => !TargetIsDescriptor,
        _ => false,
    };

    private bool TargetIsDescriptor =>
        Target?.StaticValue is { } value && (value == "-" || IsDigits(value) || (value.Length > 1 && value[^1] == '-' && IsDigits(value[..^1])));

    private static bool IsDigits(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
