using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// Every option the catalog marks as risky, for every program name and subcommand, in every spelling the program
/// accepts: the option separate from its value, with the value attached, a short option inside a cluster, and a long
/// option abbreviated. Each spelling must raise at least the option's risk, and an escape hatch must stay one.
/// </summary>
public class CatalogWideOptionTests
{
    /// <summary>Analyzers that read options their own way; only the plain spelling is checked for them.</summary>
    private static readonly HashSet<string> OwnOptionSyntax = ["find"];

    public static TheoryData<string, string> Spellings()
    {
        // Aliases share one entry, so each entry is checked once, under the first name that reaches it.
        var data = new TheoryData<string, string>();
        var seen = new HashSet<ProgramSpec>(ReferenceEqualityComparer.Instance);
        foreach (var (name, spec) in CommandClassifier.Default.Catalog.Programs)
            Collect([name], spec, spec.Analyzer, data, seen);
        return data;
    }

    private static void Collect(string[] prefix, ProgramSpec spec, string? analyzer, TheoryData<string, string> data, HashSet<ProgramSpec> seen)
    {
        if (!seen.Add(spec)) return;
        foreach (var (name, option) in spec.Options.All)
        {
            if (option.Risk is null) continue;
            foreach (var argv in Variants(prefix, name, option, spec, analyzer))
                data.Add(name, string.Join('\u001f', argv));
        }
        foreach (var (sub, subSpec) in spec.Subcommands ?? new Dictionary<string, ProgramSpec>())
            Collect([.. prefix, sub], subSpec, analyzer, data, seen);
    }

    private static IEnumerable<string[]> Variants(string[] prefix, string name, OptionSpec option, ProgramSpec spec, string? analyzer)
    {
        var value = ValueFor(option);
        var values = option.Takes switch
        {
            OptionSpec.TakesRest => new[] { value, "x" },
            > 0 => Enumerable.Repeat(value, option.Takes).ToArray(),
            _ => [],
        };
        var isLong = name.StartsWith("--", StringComparison.Ordinal);
        var isShort = name.Length == 2 && !isLong;

        if (!option.OptionalValue || values.Length == 0) yield return [.. prefix, name, .. values];
        if (analyzer is { } a && OwnOptionSyntax.Contains(a)) yield break;

        var attachable = option.Takes != 0 || option.OptionalValue;
        if (attachable && (isLong || (!isShort && !spec.WordOptions)))
            yield return [.. prefix, name + "=" + value, .. values.Skip(1)];
        if (attachable && spec.WordOptions && !isLong)
            yield return [.. prefix, name + "=" + value, .. values.Skip(1)];
        if (isShort && !spec.WordOptions)
        {
            if (attachable) yield return [.. prefix, name + value, .. values.Skip(1)];
            if (UnusedLetter(spec.Options) is { } letter)
                yield return [.. prefix, "-" + letter + name[1..], .. (option.OptionalValue ? [] : values)];
        }
        if (isLong && Abbreviation(name, spec.Options) is { } shortened)
            yield return [.. prefix, shortened, .. option.OptionalValue ? [] : values];
    }

    private static string ValueFor(OptionSpec option)
    {
        if (option.ValueStartsWith is [var prefix, ..]) return prefix + "x";
        if (option.ValueContains is [var part, ..]) return "a" + part + "b";
        return "./value";
    }

    private static char? UnusedLetter(OptionTable options)
    {
        foreach (var letter in "qwertyuiopasdfghjklzxcvbnmQWERTYUIOPASDFGHJKLZXCVBNM")
        {
            if (!options.TryGetShort(letter, out _) && !options.TryGet("-" + letter, out _)) return letter;
        }
        return null;
    }

    /// <summary>The name without its last letter, when no other long option of the program starts that way.</summary>
    private static string? Abbreviation(string name, OptionTable options)
    {
        var shortened = name[..^1];
        if (shortened.Length <= 3 || options.TryGet(shortened, out _)) return null;
        var matches = options.All.Keys.Count(other => other.StartsWith(shortened, StringComparison.Ordinal));
        return matches == 1 ? shortened : null;
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Every_spelling_of_a_risky_option_raises_its_risk(string optionName, string joinedArgv)
    {
        var argv = joinedArgv.Split('\u001f');
        var spec = CommandClassifier.Default.Catalog.FindProgram(argv[0])!;
        for (var at = 1; spec.Subcommands is { } subs && at < argv.Length && subs.TryGetValue(argv[at], out var sub); at++) spec = sub;
        Assert.True(spec.Options.TryGet(optionName, out var option), optionName);
        var result = CommandClassifier.Default.Classify(argv);
        var context = $"{string.Join(' ', argv)} -> {result.Risk}{(result.IsEscapeHatch ? " (escape hatch)" : "")}: {result.Reason}";

        // An option that runs a command the classifier can read (find -exec) hands it back to be judged on its own.
        if (option.Takes == OptionSpec.TakesRest && result.InnerCommands.Count > 0)
        {
            Assert.Contains(result.InnerCommands, inner => inner.Argv.SequenceEqual(argv[(Array.IndexOf(argv, optionName) + 1)..]));
            return;
        }
        Assert.True(result.Risk >= option.Risk!.Value, $"{context}; expected at least {option.Risk}");
        if (option.EscapeHatch) Assert.True(result.IsEscapeHatch, $"{context}; expected an escape hatch");
    }

    [Fact]
    public void The_catalog_marks_many_options_in_many_spellings()
    {
        var count = ((IEnumerable<object[]>)Spellings()).Count();
        Assert.True(count > 600, $"only {count} spellings");
    }
}
