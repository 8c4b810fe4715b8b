using Orchestrator.Core.Classification;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// The words of one simple command as bash will pass them, as far as they can be known before it runs: quotes
/// removed, <c>$PWD</c> and <c>$HOME</c> expanded, brace lists expanded into words. A word still holding an expansion
/// is dynamic: it is kept as written with <see cref="CommandClassification.RuntimeValue"/> appended, so every path the
/// classifier takes from it (whole, or as an option's attached value) carries the mark. A word with an unquoted
/// <c>*</c>, <c>?</c> or <c>[</c> is a glob the filesystem will expand.
/// </summary>
internal sealed class CommandWords
{
    private const int MaxBraceWords = 64;

    private readonly bool[] _glob;

    private CommandWords(string[] argv, bool[] glob)
    {
        Argv = argv;
        _glob = glob;
    }

    public string[] Argv { get; }

    public bool ProgramIsStatic => Argv.Length > 0 && !CommandClassification.IsRuntimeWord(Argv[0]) && !_glob[0];

    public static CommandWords From(IReadOnlyList<ShellWord> words, DirectoryTracker cwd, string home)
    {
        var braces = false;
        for (var i = 0; i < words.Count && !braces; i++) braces = words[i].HasBraceExpansion;
        if (!braces)
        {
            var plain = new string[words.Count];
            var globs = new bool[words.Count];
            for (var i = 0; i < plain.Length; i++)
            {
                var word = words[i];
                var value = word.StaticValue ?? KnownExpansion(word, cwd, home);
                plain[i] = value ?? word.Raw + CommandClassification.RuntimeValue;
                globs[i] = value is not null && word.HasUnquotedGlob && value.IndexOfAny(['*', '?', '[']) >= 0;
            }
            return new CommandWords(plain, globs);
        }

        var argv = new List<string>(words.Count);
        var glob = new List<bool>(words.Count);
        foreach (var word in words)
        {
            var value = word.StaticValue ?? KnownExpansion(word, cwd, home);
            IReadOnlyList<string>? expanded = value is null ? null : word.HasBraceExpansion ? BraceExpander.Expand(value, MaxBraceWords) : [value];
            if (expanded is null)
            {
                argv.Add(word.Raw + CommandClassification.RuntimeValue);
                glob.Add(false);
                continue;
            }
            foreach (var each in expanded)
            {
                argv.Add(each);
                glob.Add(word.HasUnquotedGlob && each.IndexOfAny(['*', '?', '[']) >= 0);
            }
        }
        return new CommandWords([.. argv], [.. glob]);
    }

    /// <summary>The words of a command this one runs: positions it shares keep their marks, new words are judged by their text.</summary>
    public CommandWords ForInner(InnerCommand inner)
    {
        var count = inner.Argv.Count;
        var argv = new string[count];
        var glob = new bool[count];
        for (var k = 0; k < count; k++)
        {
            argv[k] = inner.Argv[k];
            var outer = inner.Start + k;
            glob[k] = inner.Start >= 0 && outer < Argv.Length && Argv[outer] == argv[k] && _glob[outer];
        }
        return new CommandWords(argv, glob);
    }

    /// <summary>
    /// Whether a path taken from these words is a glob bash will expand: a glob word, or an option word whose
    /// attached value it is. Marking too much only makes a literal path be looked up as itself.
    /// </summary>
    public bool IsGlobValue(string value)
    {
        if (value.Length == 0) return false;
        for (var i = 0; i < Argv.Length; i++)
            if (_glob[i] && Argv[i].EndsWith(value, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>A word for messages: the run-time mark removed.</summary>
    public static string Display(string word) => word.Replace(CommandClassification.RuntimeValue, "", StringComparison.Ordinal);

    /// <summary>A word made only of literals, <c>$PWD</c> and <c>$HOME</c> (quoted, or unquoted where splitting and
    /// globbing cannot change the value), as text; null when anything else is in it.</summary>
    public static string? KnownExpansion(ShellWord word, DirectoryTracker cwd, string home)
    {
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
}
