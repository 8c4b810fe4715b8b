using System.Text;

namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Splits a command line into words like a POSIX shell (as Python's <c>shlex.split</c> does): whitespace separates
/// words, single quotes are literal, double quotes allow backslash to escape <c>"</c> and <c>\</c>, and a backslash
/// outside quotes escapes the next character. Used for string <c>match</c>/<c>not_match</c> examples.
/// </summary>
public static class CodexShellSplitter
{
    /// <summary>Splits <paramref name="command"/>; returns false with a reason for an unterminated quote or trailing backslash.</summary>
    public static bool TrySplit(string command, out IReadOnlyList<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        words = result;
        error = null;

        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord)
                {
                    result.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\\':
                    if (i + 1 >= command.Length)
                    {
                        error = "ends with an unescaped backslash";
                        return false;
                    }

                    word.Append(command[++i]);
                    break;
                case '\'':
                    var singleEnd = command.IndexOf('\'', i + 1);
                    if (singleEnd < 0)
                    {
                        error = "has an unterminated single quote";
                        return false;
                    }

                    word.Append(command, i + 1, singleEnd - i - 1);
                    i = singleEnd;
                    break;
                case '"':
                    var closed = false;
                    for (i++; i < command.Length; i++)
                    {
                        var d = command[i];
                        if (d == '"')
                        {
                            closed = true;
                            break;
                        }

                        if (d == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\')
                        {
                            i++;
                            d = command[i];
                        }

                        word.Append(d);
                    }

                    if (!closed)
                    {
                        error = "has an unterminated double quote";
                        return false;
                    }

                    break;
                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            result.Add(word.ToString());
        }

        return true;
    }
}
