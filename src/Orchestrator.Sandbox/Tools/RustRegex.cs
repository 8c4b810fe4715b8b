using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Translates a pattern in ripgrep's (Rust regex) syntax into a .NET regex that matches the same lines, or refuses it
/// with a clear reason. Only constructs whose meaning is the same in both engines are accepted: literals, <c>.</c>,
/// classes (no nesting, no <c>&amp;&amp;</c>/<c>--</c>/<c>~~</c> set operations, no POSIX <c>[[:alpha:]]</c>),
/// <c>\d \s \w \b \B \A \z</c>, general categories <c>\p{L}</c>…, <c>\x7F \x{…} \u{…}</c> (BMP only), anchors,
/// greedy and lazy quantifiers, groups (<c>(?P&lt;name&gt;…)</c>), inline flags <c>i m s</c>. Refused, as ripgrep
/// itself refuses them or reads them differently: lookaround, backreferences, atomic groups, possessive quantifiers,
/// <c>\Z \G \e</c>, octal, Unicode scripts and blocks, the <c>U</c> and <c>x</c> flags, characters outside the BMP.
/// <c>.</c>, negated classes and <c>\W \S \D</c> match a whole surrogate pair as Rust matches one code point; <c>\w</c> is
/// Rust's set (letters, marks, decimal and letter numbers, connector punctuation, joiners, circled letters) within
/// the BMP. The result runs with <see cref="RegexOptions.NonBacktracking"/>: linear in the input like Rust's engine,
/// so no pattern backtracks forever.
/// </summary>
public static class RustRegex
{
    private const string WordSet = @"\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\u200C\u200D\u24B6-\u24E9";
    private const string SpaceSet = @"\s";
    private const string DigitSet = @"\d";
    private const string AnyPair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const int MaxRepetition = 1000;
    private const string MetaEscapes = @"\.+*?()|[]{}^$#&-~";

    private static readonly HashSet<string> Categories =
    [
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
        "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cn",
    ];

    /// <summary>A translated pattern and its single-character pieces (each <c>.</c>, class and escape), which tell whether
    /// the pattern can match a newline at all.</summary>
    public sealed record Translation(string Pattern, IReadOnlyList<string> Atoms)
    {
        /// <summary>
        /// Whether some piece can match '\n'. ripgrep searches line by line when none can, even with <c>--multiline</c>
        /// (and then counts matching lines, not matches).
        /// </summary>
        public bool CanMatchNewline(RegexOptions options) =>
            Atoms.Any(atom => new Regex(atom, options & ~RegexOptions.NonBacktracking).IsMatch("\n"));
    }

    /// <summary>The .NET pattern, or null with the reason in <paramref name="error"/>.</summary>
    /// <param name="ignoreCase">Matching ignores case (<c>-i</c>); a leading <c>(?i)</c> in the pattern does too.</param>
    public static Translation? Translate(string pattern, bool ignoreCase, out string? error) => Translate(pattern, ignoreCase, out error, out _);

    /// <param name="invalid">True when the pattern is not ripgrep syntax at all (ripgrep refuses it too); false when
    /// only the .NET fallback cannot search it identically.</param>
    public static Translation? Translate(string pattern, bool ignoreCase, out string? error, out bool invalid)
    {
        var translator = new Translator(pattern, ignoreCase || pattern.StartsWith("(?i)", StringComparison.Ordinal));
        var result = translator.Run();
        error = translator.Error;
        invalid = translator.IsInvalid;
        return error is null ? new Translation(result!, translator.Atoms) : null;
    }

    /// <summary>The one wording of a pattern that is no valid ripgrep regex, found by this parser or by ripgrep itself.</summary>
    public static string NotRipgrepSyntax(string pattern, string reason) => $"pattern '{pattern}' is not a valid ripgrep regex: {reason}";

    /// <remarks>
    /// Ignoring case, Rust folds by Unicode simple case folding, .NET by its own table: they agree on ASCII letters except
    /// that Rust also folds <c>ſ</c> (U+017F) with <c>s</c> — added to every <c>s</c> here — and differ on many non-ASCII
    /// letters and on categories, which are therefore refused, as is an inline <c>i</c> flag other than a leading <c>(?i)</c>.
    /// </remarks>
    private sealed class Translator(string pattern, bool ignoreCase)
    {
        private readonly StringBuilder _out = new();
        private int _i;
        private int _depth;

        public List<string> Atoms { get; } = [];

        public string? Error { get; private set; }

        /// <summary>Whether <see cref="Error"/> says the pattern is no valid ripgrep regex at all.</summary>
        public bool IsInvalid { get; private set; }

        public string? Run()
        {
            while (_i < pattern.Length && Error is null) Step();
            if (Error is null && _depth > 0) Invalid("an unclosed '('");
            return Error is null ? _out.ToString() : null;
        }

        private void Atom(int from)
        {
            if (Error is null && _out.Length > from) Atoms.Add(_out.ToString(from, _out.Length - from));
        }

        private bool CaseFoldsAlike(char c)
        {
            if (c < 0x80 || !char.IsLetter(c)) return true;
            Fail($"'{c}': ignoring case, non-ASCII letters fold differently in .NET");
            return false;
        }

        /// <summary>ripgrep searches this, but the .NET fallback cannot search it identically.</summary>
        private void Fail(string reason)
        {
            Error ??= $"pattern '{pattern}' cannot be searched identically to ripgrep: {reason}";
        }

        /// <summary>Not a pattern ripgrep accepts either: refused whichever engine would search.</summary>
        private void Invalid(string reason)
        {
            if (Error is not null) return;
            Error = NotRipgrepSyntax(pattern, reason);
            IsInvalid = true;
        }

        private void Step()
        {
            var c = pattern[_i];
            if (char.IsSurrogate(c)) { Fail("characters outside the Basic Multilingual Plane are not supported by the .NET fallback"); return; }
            var before = _out.Length;
            switch (c)
            {
                case '\\': Escape(inClass: false); Atom(before); return;
                case '[': Class(); Atom(before); return;
                case '(': Group(); return;
                case ')':
                    if (_depth == 0) { Invalid("an unopened ')'"); return; }
                    _depth--; _out.Append(')'); _i++; return;
                case '.': _out.Append("(?:").Append(AnyPair).Append("|.)"); _i++; Atom(before); return;
                case '*' or '+' or '?': Quantifier(1); return;
                case '{': Counted(); return;
                case '#' or ' ' or '&' or '~' or '-' or '/' or '"' or '\'' or '%' or '!' or '@' or '=' or ':' or ',' or ';' or '<' or '>' or '_' or '`':
                    _out.Append(Regex.Escape(c.ToString())); _i++; return;
                default:
                    if (ignoreCase && !CaseFoldsAlike(c)) return;
                    _out.Append(c is '^' or '$' or '|' ? c.ToString() : ignoreCase && c is 's' or 'S' ? "[sS\u017F]" : Regex.Escape(c.ToString()));
                    _i++;
                    return;
            }
        }

        private void Quantifier(int length)
        {
            if (_out.Length == 0 || _out[^1] is '|' or '(' || EndsWithGroupOpen())
            { Invalid("a repetition operator with nothing to repeat"); return; }
            _out.Append(pattern, _i, length);
            _i += length;
            if (_i < pattern.Length && pattern[_i] == '?') { _out.Append('?'); _i++; }
            else if (_i < pattern.Length && pattern[_i] is '+' or '*' or '{')
                Fail("possessive or stacked repetition operators are not ripgrep syntax");
        }

        private bool EndsWithGroupOpen()
        {
            var text = _out.ToString();
            return text.EndsWith("(?:", StringComparison.Ordinal) || Regex.IsMatch(text, @"\(\?[ims-]*\)$|\(\?[ims-]*:$|\(\?<\w+>$");
        }

        private void Counted()
        {
            var match = Regex.Match(pattern[_i..], @"^\{(\d+)(,(\d*))?\}");
            if (!match.Success) { Invalid("a '{' that does not begin a repetition {n}, {n,} or {n,m}"); return; }
            var low = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var high = match.Groups[3].Value.Length > 0 ? long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : low;
            if (low > MaxRepetition || high > MaxRepetition) { Fail($"a repetition count above {MaxRepetition}"); return; }
            if (high < low) { Invalid("a repetition {n,m} with m below n"); return; }
            Quantifier(match.Length);
        }

        private void Group()
        {
            var rest = pattern.AsSpan(_i);
            if (rest.StartsWith("(?P<") || rest.StartsWith("(?<"))
            {
                var start = rest[2] == 'P' ? 4 : 3;
                if (start == 3 && rest.Length > 3 && rest[3] is '=' or '!') { Invalid("look-behind is not supported by ripgrep"); return; }
                var end = rest.IndexOf('>');
                var name = end > start ? rest[start..end].ToString() : "";
                if (!Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$")) { Invalid("a malformed group name"); return; }
                _out.Append("(?<").Append(name).Append('>');
                _i += end + 1;
                _depth++;
                return;
            }
            if (rest.StartsWith("(?=") || rest.StartsWith("(?!")) { Invalid("look-ahead is not supported by ripgrep"); return; }
            if (rest.StartsWith("(?>")) { Invalid("atomic groups are not ripgrep syntax"); return; }
            if (rest.StartsWith("(?"))
            {
                var j = 2;
                while (j < rest.Length && rest[j] is 'i' or 'm' or 's' or '-') j++;
                if (j >= rest.Length || rest[j] is not (':' or ')'))
                { Fail("only the inline flags i, m and s are supported (not U, x or others)"); return; }
                if (j == 2 && rest[j] == ')') { Invalid("an empty flag group '(?)'"); return; }
                if (rest[..j].Contains('i') && !(_i == 0 && rest.StartsWith("(?i)")))
                { Fail("an inline case flag other than a leading (?i) (use -i instead)"); return; }
                _out.Append(rest[..(j + 1)]);
                _i += j + 1;
                if (rest[j] == ':') _depth++;
                return;
            }
            _out.Append('(');
            _i++;
            _depth++;
        }

        private void Class()
        {
            var start = _i;
            _i++;
            var negated = _i < pattern.Length && pattern[_i] == '^';
            if (negated) _i++;
            var body = new StringBuilder();
            var first = true;
            while (Error is null)
            {
                if (_i >= pattern.Length) { Invalid("an unclosed '['"); return; }
                var c = pattern[_i];
                if (c == ']' && !first) { _i++; break; }
                first = false;
                if (char.IsSurrogate(c)) { Fail("characters outside the Basic Multilingual Plane are not supported by the .NET fallback"); return; }
                if (c == '[') { Fail("nested classes and POSIX classes like [[:alpha:]] are not supported by the .NET fallback"); return; }
                if ((c is '&' or '-' or '~') && _i + 1 < pattern.Length && pattern[_i + 1] == c && _i > start + 1)
                { Fail("class set operations (&&, --, ~~) are not supported by the .NET fallback"); return; }
                if (c == '\\')
                {
                    var saved = _out.Length;
                    Escape(inClass: true);
                    body.Append(_out, saved, _out.Length - saved);
                    _out.Length = saved;
                    continue;
                }
                if (ignoreCase && !CaseFoldsAlike(c)) return;
                body.Append(c is '^' or '[' ? "\\" + c : c.ToString());
                _i++;
            }
            if (Error is not null) return;
            if (ignoreCase && Regex.IsMatch("s", "[" + body + "]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)) body.Append("\\u017F");
            if (negated) _out.Append("(?:").Append(AnyPair).Append("|[^").Append(body).Append("])");
            else _out.Append('[').Append(body).Append(']');
        }

        private void Escape(bool inClass)
        {
            if (_i + 1 >= pattern.Length) { Invalid("an incomplete escape at the end"); return; }
            var c = pattern[_i + 1];
            _i += 2;
            switch (c)
            {
                case 'd': _out.Append(inClass ? DigitSet : DigitSet); return;
                case 's': _out.Append(SpaceSet); return;
                case 'w': _out.Append(inClass ? WordSet : "[" + WordSet + "]"); return;
                case 'D' or 'S' or 'W' when inClass: Fail($"\\{c} inside a class is not supported by the .NET fallback"); return;
                case 'D': _out.Append("(?:").Append(AnyPair).Append(@"|\D)"); return;
                case 'S': _out.Append("(?:").Append(AnyPair).Append(@"|\S)"); return;
                case 'W': _out.Append("(?:").Append(AnyPair).Append("|[^").Append(WordSet).Append("])"); return;
                case 'b' or 'B' or 'A' or 'z' when !inClass: _out.Append('\\').Append(c); return;
                case 'n' or 't' or 'r' or 'f' or 'v' or 'a': _out.Append('\\').Append(c); return;
                case 'x' or 'u': CodePoint(c); return;
                case 'p' or 'P': Category(c); return;
                case >= '0' and <= '9': Invalid("backreferences and octal escapes are not supported by ripgrep"); return;
                default:
                    if (MetaEscapes.Contains(c)) { _out.Append('\\').Append(c); return; }
                    Invalid($"the escape \\{c} is not ripgrep syntax");
                    return;
            }
        }

        private void CodePoint(char kind)
        {
            var rest = pattern[_i..];
            var match = Regex.Match(rest, kind == 'x' ? @"^(?:\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{2}))" : @"^(?:\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{4}))");
            if (!match.Success) { Invalid($"a malformed \\{kind} escape"); return; }
            var value = int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (value > 0xFFFF) { Fail("characters outside the Basic Multilingual Plane are not supported by the .NET fallback"); return; }
            if (value is >= 0xD800 and <= 0xDFFF) { Invalid("a surrogate code point is not a character"); return; }
            if (ignoreCase && (value is 's' or 'S' || !CaseFoldsAlike((char)value))) { Fail("ignoring case, an escaped s or non-ASCII letter"); return; }
            _out.Append("\\u").Append(value.ToString("X4", CultureInfo.InvariantCulture));
            _i += match.Length;
        }

        private void Category(char kind)
        {
            string name;
            if (_i < pattern.Length && pattern[_i] == '{')
            {
                var end = pattern.IndexOf('}', _i);
                if (end < 0) { Invalid("an unclosed \\p{"); return; }
                name = pattern[(_i + 1)..end];
                _i = end + 1;
            }
            else if (_i < pattern.Length) name = pattern[_i++].ToString();
            else { Invalid("an incomplete \\p escape"); return; }
            if (ignoreCase && name is "Lu" or "Ll" or "Lt") { Fail($"\\{kind}{{{name}}}: ignoring case, ripgrep folds cased categories and .NET does not"); return; }
            if (!Categories.Contains(name)) { Fail($"\\{kind}{{{name}}}: only general categories (L, Lu, Nd, …) are supported by the .NET fallback"); return; }
            _out.Append('\\').Append(kind).Append('{').Append(name).Append('}');
        }
    }
}
