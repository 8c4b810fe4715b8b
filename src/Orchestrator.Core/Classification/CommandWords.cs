using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// The words of one simple command as bash will pass them, as far as they can be known before it runs: quotes
/// removed, <c>$PWD</c> and <c>$HOME</c> expanded, brace lists expanded into words. A word still holding an expansion
/// is dynamic: it is kept as written with <see cref="CommandClassification.RuntimeValue"/> appended, so every path the
/// classifier takes from it (whole, or as an option's attached value) carries the mark. A word with an unquoted
/// <c>*</c>, <c>?</c> or <c>[</c> is a glob the filesystem will expand. A leading <c>~</c> or <c>~/</c> stays for path
/// rules to expand; the other tilde forms (<c>~+</c>, <c>~-</c>, <c>~user</c>) are expanded or dynamic.
/// </summary>
internal sealed class CommandWords
{
    private const int MaxBraceWords = 64;

    [Flags]
    private enum Trait : byte
    {
        None = 0,

        /// <summary>An unquoted glob: the filesystem decides the words.</summary>
        Glob = 1,

        /// <summary>Word splitting or <c>"$@"</c> may make this zero, one or several words.</summary>
        Splits = 2,
    }

    private readonly Trait[] _traits;

    private CommandWords(string[] argv, Trait[] traits)
    {
        Argv = argv;
        _traits = traits;
    }

    public static CommandWords Empty { get; } = new([], []);

    public string[] Argv { get; }

    public bool ProgramIsStatic => Argv.Length > 0 && !CommandClassification.IsRuntimeWord(Argv[0]) && (_traits[0] & Trait.Glob) == 0;

    public bool IsGlob(int index) => (_traits[index] & Trait.Glob) != 0;

    /// <summary>The word is only known at run time, or may turn into some other number of words than one.</summary>
    public bool IsDynamic(int index) => _traits[index] != Trait.None || CommandClassification.IsRuntimeWord(Argv[index]);

    /// <summary>Word splitting or globbing may turn this word into zero or several words, moving every word after it.</summary>
    public bool MaySplit(int index) => (_traits[index] & (Trait.Glob | Trait.Splits)) != 0;

    /// <param name="posix">The words are read by a POSIX shell that may not be bash (<c>sh -c</c>): dash leaves brace
    /// lists and <c>~+</c> as written where bash expands them, so such words are only known at run time.</param>
    public static CommandWords From(IReadOnlyList<ShellWord> words, WorkingDirectory cwd, string? home, bool posix = false)
    {
        var argv = new List<string>(words.Count);
        var traits = new List<Trait>(words.Count);
        foreach (var word in words)
        {
            var value = posix && word.HasTilde && TildePrefix(word) is not ("~" or "~/") ? null : ValueOf(word, cwd, home);
            IReadOnlyList<string>? expanded = value is null ? null : word.HasBraceExpansion ? BraceExpander.Expand(value, MaxBraceWords) : [value];
            if (posix && expanded is not null && (expanded.Count != 1 || expanded[0] != value)) expanded = null;
            if (expanded is null)
            {
                argv.Add(word.Raw + CommandClassification.RuntimeValue);
                traits.Add(Splits(word) ? Trait.Splits : Trait.None);
                continue;
            }
            foreach (var each in expanded)
            {
                // An empty result of brace expansion ({,} or {a,}) is removed like any unquoted empty expansion.
                if (each.Length == 0 && expanded.Count > 1 && !HasQuotedPart(word)) continue;
                argv.Add(each);
                traits.Add(word.HasUnquotedGlob && IsPattern(each) ? Trait.Glob : Trait.None);
            }
        }
        return new CommandWords([.. argv], [.. traits]);
    }

    private static bool HasQuotedPart(ShellWord word)
    {
        foreach (var part in word.Parts)
            if (part is LiteralPart { Quote: not QuoteKind.None }) return true;
        return false;
    }

    /// <summary>A <c>*</c> or <c>?</c>, or a <c>[</c> closed later by <c>]</c>: a lone <c>[</c> (the test command) matches only itself.</summary>
    private static bool IsPattern(string text)
    {
        if (text.IndexOfAny(['*', '?']) >= 0) return true;
        var open = text.IndexOf('[');
        return open >= 0 && text.IndexOf(']', open + 1) > open;
    }

    /// <summary>The words of a command this one runs: positions it shares keep their marks, new words are judged by their text.</summary>
    public CommandWords ForInner(InnerCommand inner)
    {
        var count = inner.Argv.Count;
        var argv = new string[count];
        var traits = new Trait[count];
        for (var k = 0; k < count; k++)
        {
            argv[k] = inner.Argv[k];
            var outer = inner.Start + k;
            traits[k] = inner.Start >= 0 && outer < Argv.Length && Argv[outer] == argv[k] ? _traits[outer] : Trait.None;
        }
        return new CommandWords(argv, traits);
    }

    /// <summary>
    /// Whether a path taken from these words is a glob bash will expand: a glob word, or an option word whose
    /// attached value it is. Marking too much only makes a literal path be looked up as itself.
    /// </summary>
    public bool IsGlobValue(string value)
    {
        if (value.Length == 0) return false;
        for (var i = 0; i < Argv.Length; i++)
            if (IsGlob(i) && Argv[i].EndsWith(value, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// The word's value as bash will expand it (brace expansion aside), or null when only the running shell knows it:
    /// literals, <c>$PWD</c>, <c>$HOME</c>, <c>~+</c>; a leading <c>~</c> or <c>~/</c> stays for path rules to expand.
    /// </summary>
    /// <param name="home">Null when the script may have changed what <c>~</c> and <c>$HOME</c> mean.</param>
    public static string? ValueOf(ShellWord word, WorkingDirectory cwd, string? home) =>
        word.IsStatic ? TildeExpanded(word, cwd, home) : KnownExpansion(word, cwd, home);

    /// <summary>A word for messages: the run-time mark removed.</summary>
    public static string Display(string word) => word.Replace(CommandClassification.RuntimeValue, "", StringComparison.Ordinal);

    /// <summary>A word made only of literals, <c>$PWD</c> and <c>$HOME</c> (quoted, or unquoted where splitting and
    /// globbing cannot change the value), as text; null when anything else is in it, or when <paramref name="home"/>
    /// is null because the script may have changed what <c>$HOME</c> means.</summary>
    public static string? KnownExpansion(ShellWord word, WorkingDirectory cwd, string? home)
    {
        if (word.HasTilde && (home is null || TildePrefix(word) is not ("~" or "~/"))) return null;
        var text = new System.Text.StringBuilder();
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    text.Append(literal.Text);
                    break;
                case ParameterPart parameter when parameter.Raw == "$" + parameter.Name || parameter.Raw == "${" + parameter.Name + "}":
                    var value = parameter.Name switch
                    {
                        "PWD" when !cwd.Unknown => cwd.Current,
                        "HOME" => home,
                        _ => null,
                    };
                    if (value is null) return null;
                    if (!parameter.InDoubleQuotes && value.IndexOfAny([' ', '\t', '\n', '*', '?', '[']) >= 0) return null;
                    text.Append(value);
                    break;
                default:
                    return null;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A static word whose tilde prefix is <c>~+</c> (the working directory) expanded, the word itself when its tilde
    /// prefix is <c>~</c> (left for path rules) or it has none; null when the prefix names another user's home or the
    /// previous directory (<c>~-</c>), which only the running shell knows.
    /// </summary>
    private static string? TildeExpanded(ShellWord word, WorkingDirectory cwd, string? home)
    {
        var staticValue = word.StaticValue!;
        if (!word.HasTilde) return AssignmentTildeIsPlain(staticValue, home) ? staticValue : null;
        return TildePrefix(word) switch
        {
            "~" or "~/" when home is not null => staticValue,
            "~+" or "~+/" when !cwd.Unknown => cwd.Current + staticValue[2..],
            _ => null,
        };
    }

    /// <summary>
    /// Bash also expands a tilde after the <c>=</c> or a <c>:</c> of an argument that looks like an assignment
    /// (<c>if=~/x</c>); only the plain home forms are kept as written there, and only while <c>$HOME</c> is known.
    /// </summary>
    private static bool AssignmentTildeIsPlain(string value, string? home)
    {
        var equals = value.IndexOf('=');
        if (equals <= 0 || value.IndexOf('~', equals) < 0 || !AssignmentNames.IsName(value.AsSpan(0, equals))) return true;
        for (var i = value.IndexOf('~', equals); i >= 0; i = value.IndexOf('~', i + 1))
        {
            if (value[i - 1] is not ('=' or ':')) continue;
            var next = i + 1 < value.Length ? value[i + 1] : '/';
            if (home is null || next is not ('/' or ':')) return false;
        }
        return true;
    }

    /// <summary>The word's tilde prefix up to and including the first unquoted slash, as bash reads it.</summary>
    private static string TildePrefix(ShellWord word)
    {
        var first = (LiteralPart)word.Parts[0];
        var slash = first.Text.IndexOf('/');
        return slash < 0 ? (word.Parts.Count == 1 ? first.Text : first.Text + "\0") : first.Text[..(slash + 1)];
    }

    /// <summary>Whether an expansion in the word is subject to word splitting, or is <c>"$@"</c>-like.</summary>
    private static bool Splits(ShellWord word)
    {
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case ParameterPart { InDoubleQuotes: false }:
                case CommandSubstitutionPart { InDoubleQuotes: false }:
                case ArithmeticPart { InDoubleQuotes: false }:
                    return true;
                case ParameterPart parameter when parameter.Name == "@" || parameter.Raw.Contains("[@]", StringComparison.Ordinal)
                                                  || parameter.Raw.StartsWith("${!", StringComparison.Ordinal):
                    return true;
            }
        }
        return false;
    }
}
