namespace Orchestrator.Core.Classification;

/// <summary>Recognises shell variable assignments (<c>NAME=VALUE</c>) and names.</summary>
internal static class AssignmentNames
{
    /// <summary>True when <paramref name="word"/> is <c>NAME=…</c> with a valid shell name.</summary>
    public static bool TryGetName(string word, out string name)
    {
        var equals = word.IndexOf('=');
        if (equals > 0 && IsName(word.AsSpan(0, equals)))
        {
            name = word[..equals];
            return true;
        }
        name = "";
        return false;
    }

    /// <summary>The name in <c>NAME=VALUE</c> or a bare <c>NAME</c>; null when the word is neither.</summary>
    public static string? NameOf(string word)
    {
        if (TryGetName(word, out var name)) return name;
        return IsName(word) ? word : null;
    }

    public static bool IsName(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || char.IsAsciiDigit(text[0])) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }
}
