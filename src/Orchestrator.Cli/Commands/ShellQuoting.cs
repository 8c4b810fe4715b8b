using System.Text;

namespace Orchestrator.Cli.Commands;

/// <summary>Joins argv into one POSIX shell command line that parses back into the same words.</summary>
internal static class ShellQuoting
{
    public static string Join(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(IsSafe)) return word;
        var b = new StringBuilder(word.Length + 2).Append('\'');
        foreach (var c in word)
            if (c == '\'') b.Append("'\\''");
            else b.Append(c);
        return b.Append('\'').ToString();
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '+' or ',' or '@' or '%';
}
