namespace Orchestrator.Core.Shell;

/// <summary>A stretch of a script that is plain literal text: nothing in it is expanded, substituted or escaped.</summary>
public readonly record struct LiteralRegion(int Start, int End, bool IsHereDocBody);

/// <summary>
/// A quick outline of a bash script that finds its plain literal words: words without any expansion, substitution or
/// escape (quotes are fine), comments, and here-document bodies that bash does not expand. It is deliberately
/// conservative: a word with any <c>$</c>, backtick or backslash is not literal, and when a construct cannot be followed
/// to its end everything from there on is left out. Used to decide what may be masked for display: text that is not
/// a plain literal is always shown as it is.
/// </summary>
public static class ShellOutline
{
    public static IReadOnlyList<LiteralRegion> LiteralRegions(string script)
    {
        var scanner = new Scanner(script);
        scanner.Run();
        return scanner.Regions;
    }

    private sealed class Scanner(string s)
    {
        private readonly List<(string Delimiter, bool Quoted, bool StripTabs)> _pendingHereDocs = [];
        private int _wordStart = -1;
        private bool _wordDynamic;

        public List<LiteralRegion> Regions { get; } = [];

        public void Run()
        {
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (c is ' ' or '\t')
                {
                    EndWord(i);
                    i++;
                }
                else if (c == '\n')
                {
                    EndWord(i);
                    i++;
                    if (_pendingHereDocs.Count > 0 && (i = HereDocBodies(i)) < 0) return;
                }
                else if (c is ';' or '&' or '|' or '(' or ')' or '<' or '>')
                {
                    EndWord(i);
                    if (c == '<' && At(i, "<<") && !At(i, "<<<"))
                    {
                        if ((i = HereDocOperator(i + 2)) < 0) return;
                    }
                    else i++;
                }
                else if (c == '#' && _wordStart < 0)
                {
                    var end = s.IndexOf('\n', i);
                    if (end < 0) end = s.Length;
                    Regions.Add(new LiteralRegion(i, end, false));
                    i = end;
                }
                else
                {
                    if (_wordStart < 0) (_wordStart, _wordDynamic) = (i, false);
                    if ((i = WordCharacter(i)) < 0) return;
                }
            }
            EndWord(s.Length);
        }

        /// <summary>Consumes one character or quoted/expanded construct of a word; -1 when it cannot be followed.</summary>
        private int WordCharacter(int i)
        {
            switch (s[i])
            {
                case '\'':
                    var close = s.IndexOf('\'', i + 1);
                    return close < 0 ? -1 : close + 1;
                case '"':
                    for (var j = i + 1; j < s.Length;)
                    {
                        switch (s[j])
                        {
                            case '"':
                                return j + 1;
                            case '\\':
                                _wordDynamic = true;
                                j += 2;
                                break;
                            case '$' or '`':
                                _wordDynamic = true;
                                if ((j = SkipExpansion(j)) < 0) return -1;
                                break;
                            default:
                                j++;
                                break;
                        }
                    }
                    return -1;
                case '$' or '`':
                    _wordDynamic = true;
                    return SkipExpansion(i);
                case '\\':
                    _wordDynamic = true;
                    return i + 2 <= s.Length ? i + 2 : -1;
                default:
                    return i + 1;
            }
        }

        /// <summary>Skips <c>$name</c>, <c>${…}</c>, <c>$(…)</c>, <c>$((…))</c>, <c>$'…'</c> or a backtick substitution.</summary>
        private int SkipExpansion(int i)
        {
            if (s[i] == '`') return SkipBalanced(i + 1, '\0', '`');
            var next = i + 1 < s.Length ? s[i + 1] : '\0';
            return next switch
            {
                '(' => SkipBalanced(i + 2, '(', ')'),
                '{' => SkipBalanced(i + 2, '{', '}'),
                '\'' => SkipAnsiC(i + 2),
                _ when char.IsLetterOrDigit(next) || next == '_' => SkipName(i + 1),
                _ => i + 1,
            };
        }

        private int SkipName(int i)
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
            return i;
        }

        private int SkipAnsiC(int i)
        {
            for (; i < s.Length; i++)
            {
                if (s[i] == '\\') i++;
                else if (s[i] == '\'') return i + 1;
            }
            return -1;
        }

        /// <summary>Skips to the matching closer, minding quotes and escapes; -1 when the end never comes.</summary>
        private int SkipBalanced(int i, char open, char close)
        {
            var depth = 1;
            while (i < s.Length)
            {
                var c = s[i];
                if (c == '\\') { i += 2; continue; }
                if (c is '\'' or '"' && close != '`')
                {
                    var end = c == '\'' ? s.IndexOf('\'', i + 1) : ClosingDoubleQuote(i + 1);
                    if (end < 0) return -1;
                    i = end + 1;
                    continue;
                }
                if (c == close && --depth == 0) return i + 1;
                if (c == open && open != '\0') depth++;
                i++;
            }
            return -1;
        }

        private int ClosingDoubleQuote(int i)
        {
            for (; i < s.Length; i++)
            {
                if (s[i] == '\\') i++;
                else if (s[i] == '"') return i;
            }
            return -1;
        }

        /// <summary>After <c>&lt;&lt;</c>: the optional <c>-</c> and the delimiter word, whose quoting says whether the body expands.</summary>
        private int HereDocOperator(int i)
        {
            var stripTabs = i < s.Length && s[i] == '-';
            if (stripTabs) i++;
            while (i < s.Length && s[i] is ' ' or '\t') i++;
            var delimiter = new System.Text.StringBuilder();
            var quoted = false;
            while (i < s.Length && s[i] is not (' ' or '\t' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>'))
            {
                var c = s[i];
                if (c is '\'' or '"')
                {
                    quoted = true;
                    var end = s.IndexOf(c, i + 1);
                    if (end < 0) return -1;
                    delimiter.Append(s, i + 1, end - i - 1);
                    i = end + 1;
                }
                else if (c == '\\')
                {
                    quoted = true;
                    if (i + 1 < s.Length) delimiter.Append(s[i + 1]);
                    i += 2;
                }
                else if (c is '$' or '`') return -1;
                else
                {
                    delimiter.Append(c);
                    i++;
                }
            }
            if (delimiter.Length == 0) return -1;
            _pendingHereDocs.Add((delimiter.ToString(), quoted, stripTabs));
            return i;
        }

        /// <summary>Reads the pending here-document bodies from <paramref name="i"/>: a body is a region unless bash expands something in it.</summary>
        private int HereDocBodies(int i)
        {
            foreach (var (delimiter, quoted, stripTabs) in _pendingHereDocs)
            {
                var bodyStart = i;
                var literal = true;
                while (true)
                {
                    if (i >= s.Length) return -1;
                    var end = s.IndexOf('\n', i);
                    if (end < 0) end = s.Length;
                    var line = s.AsSpan(i, end - i);
                    if (stripTabs) line = line.TrimStart('\t');
                    if (line.SequenceEqual(delimiter))
                    {
                        if (literal && i > bodyStart) Regions.Add(new LiteralRegion(bodyStart, i, true));
                        i = Math.Min(end + 1, s.Length);
                        break;
                    }
                    if (!quoted && line.IndexOfAny("$`\\") >= 0) literal = false;
                    i = end + 1;
                }
            }
            _pendingHereDocs.Clear();
            return i;
        }

        private void EndWord(int end)
        {
            if (_wordStart >= 0 && !_wordDynamic) Regions.Add(new LiteralRegion(_wordStart, end, false));
            _wordStart = -1;
        }

        private bool At(int i, string text) => string.CompareOrdinal(s, i, text, 0, text.Length) == 0;
    }
}
