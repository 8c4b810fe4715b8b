using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// A glob as ripgrep's ignore files, <c>--glob</c> and Claude Code's Glob write them, compiled to an anchored regex over
/// a '/'-separated relative path: <c>*</c> and <c>?</c> never cross a '/', <c>**</c> as a whole segment spans any
/// number of segments, <c>[…]</c> (<c>!</c> or <c>^</c> negates), <c>{a,b}</c> alternatives, <c>\</c> escapes.
/// </summary>
public sealed class ToolGlob
{
    private readonly Regex _regex;

    private ToolGlob(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);

    /// <summary>Compiles <paramref name="glob"/>; a malformed one (an unclosed <c>[</c> or <c>{</c>, a trailing <c>\</c>) gives an error.</summary>
    public static ToolGlob? TryCompile(string glob, out string? error)
    {
        error = null;
        var pattern = new StringBuilder("^");
        if (!Translate(glob, pattern, out error)) return null;
        pattern.Append('$');
        return new ToolGlob(glob, new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }

    private static bool Translate(string glob, StringBuilder into, out string? error)
    {
        error = null;
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*' && (i == 0 || glob[i - 1] == '/')
                        && (i + 2 == glob.Length || glob[i + 2] == '/'):
                    i++;
                    if (i + 1 < glob.Length) { into.Append("(?:[^/]*/)*"); i++; } // "**/": zero or more whole segments
                    else into.Append(".*");                                       // trailing "**": everything below
                    break;
                case '*':
                    into.Append("[^/]*");
                    break;
                case '?':
                    into.Append("[^/]");
                    break;
                case '[':
                    var close = ClassEnd(glob, i);
                    if (close < 0) { error = $"glob '{glob}' has an unclosed '['"; return false; }
                    into.Append('[');
                    var start = i + 1;
                    if (glob[start] is '!' or '^') { into.Append('^'); start++; }
                    for (var j = start; j < close; j++)
                    {
                        var k = glob[j];
                        if (k == '\\' && j + 1 < close) k = glob[++j];
                        into.Append(k is '\\' or ']' or '[' or '^' ? "\\" + k : k.ToString());
                    }
                    if (glob[start - 1] == '^' || glob[start - 1] == '!') into.Append('/'); // a negated class never matches '/'
                    into.Append(']');
                    i = close;
                    break;
                case '{':
                    braces++;
                    into.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    into.Append(')');
                    break;
                case ',' when braces > 0:
                    into.Append('|');
                    break;
                case '\\':
                    if (i + 1 == glob.Length) { error = $"glob '{glob}' ends with a lone '\\'"; return false; }
                    into.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                default:
                    into.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (braces > 0) { error = $"glob '{glob}' has an unclosed '{{'"; return false; }
        return true;
    }

    private static int ClassEnd(string glob, int open)
    {
        var j = open + 1;
        if (j < glob.Length && glob[j] is '!' or '^') j++;
        if (j < glob.Length && glob[j] == ']') j++;
        for (; j < glob.Length; j++)
        {
            if (glob[j] == '\\') { j++; continue; }
            if (glob[j] == ']') return j;
        }
        return -1;
    }
}
