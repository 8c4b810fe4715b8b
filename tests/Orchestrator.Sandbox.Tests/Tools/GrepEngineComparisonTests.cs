using System.Text.RegularExpressions;
using CsCheck;
using Orchestrator.Core.Tests;
using Orchestrator.Sandbox.Tools;
using static Orchestrator.Sandbox.Tests.Tools.GrepEngines;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>The .NET fallback prints exactly what ripgrep prints for the same tree and request.</summary>
public sealed class GrepEngineComparisonTests : IDisposable
{
    private readonly TempTree _tree = new();

    public GrepEngineComparisonTests() => RequireRipgrep();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Gitignore_rules_nested_negations_and_ripgrep_ignore_files_pick_the_same_files()
    {
        _tree.Write(".gitignore", "*.log\nbuild/\n!keep.log\n/top.txt\n");
        _tree.Write("a.txt", "needle\n");
        _tree.Write("top.txt", "needle\n");
        _tree.Write("sub/top.txt", "needle\n");
        _tree.Write("x.log", "needle\n");
        _tree.Write("keep.log", "needle\n");
        _tree.Write("build/out.txt", "needle\n");
        _tree.Write("sub/.gitignore", "!x.log\n*.txt\n");
        _tree.Write("sub/x.log", "needle\n");
        _tree.Write("sub/y.txt", "needle\n");
        _tree.Write("other/.rgignore", "!*.log\n");
        _tree.Write("other/z.log", "needle\n");
        _tree.Write("other/.ignore", "w.txt\n");
        _tree.Write("other/w.txt", "needle\n");
        _tree.Write(".hidden/h.txt", "needle\n");
        _tree.Write(".dot.txt", "needle\n");

        var found = Same(Request("needle", _tree.Root, GrepOutputMode.FilesWithMatches));

        Assert.Equal(new[] { "a.txt", "keep.log", "other/z.log", "sub/x.log" }.Select(_tree.At), found.Lines);
    }

    [Fact]
    public void A_glob_override_whitelists_past_gitignore_and_hidden_names_as_ripgrep_does()
    {
        _tree.Write(".gitignore", "*.txt\n");
        _tree.Write("a.txt", "needle\n");
        _tree.Write(".b.txt", "needle\n");
        _tree.Write("c.md", "needle\n");

        var found = Same(Request("needle", _tree.Root, GrepOutputMode.FilesWithMatches, glob: "*.txt"));

        Assert.Equal(new[] { ".b.txt", "a.txt" }.Select(_tree.At), found.Lines);
        Same(Request("needle", _tree.Root, GrepOutputMode.FilesWithMatches, glob: "!*.md"));
        Same(Request("needle", _tree.Root, GrepOutputMode.FilesWithMatches, type: "md"));
    }

    [Fact]
    public void Symlinks_are_never_followed_and_binary_files_are_skipped()
    {
        var outside = new TempTree();
        try
        {
            outside.Write("secret.txt", "needle\n");
            _tree.Write("a.txt", "needle\n");
            File.CreateSymbolicLink(_tree.At("link.txt"), outside.At("secret.txt"));
            Directory.CreateSymbolicLink(_tree.At("linkdir"), outside.Root);
            File.WriteAllBytes(_tree.At("bin.dat"), [.. "needle\n"u8, 0, 1, 2]);

            var found = Same(Request("needle", _tree.Root));

            Assert.Equal([_tree.At("a.txt") + ":1:needle"], found.Lines);
        }
        finally { outside.Dispose(); }
    }

    [Fact]
    public void Context_counts_and_multiline_matches_print_alike()
    {
        _tree.Write("x.txt", "a\nfoo\nb\nc\nd\ne\nfoo\nf\n");
        _tree.Write("y.txt", "foo\nbar\nfoo bar foo\n");
        _tree.Write("z.txt", "a a\nb\nc\r\nlast without newline");

        foreach (var (before, after) in new[] { (0, 0), (1, 1), (2, 0), (0, 3), (5, 5) })
            Same(Request("foo", _tree.Root, before: before, after: after));
        Same(Request("foo", _tree.Root, lineNumbers: false, before: 1, after: 1));
        Same(Request("foo|a", _tree.Root, GrepOutputMode.Count));
        Same(Request("foo.b|a", _tree.Root, GrepOutputMode.Count, multiline: true));
        Same(Request("foo.b|a", _tree.Root, multiline: true, after: 1));
        Same(Request("a\\nb|c$", _tree.Root, multiline: true));
        Same(Request("^$|x*", _tree.Root, multiline: true));
        Same(Request("newline$", _tree.Root));
        Same(Request("FOO", _tree.Root, ignoreCase: true));
        Same(Request("c\\r$", _tree.Root));
    }

    [Fact]
    public void A_pattern_that_backtracks_forever_elsewhere_finishes_in_linear_time_with_ripgrep_s_answer()
    {
        const string pattern = "(a*)*b";
        var endless = new string('a', 50_000);
        _tree.Write("a.txt", endless + "\nab\n");
        // The control: a backtracking engine given the same budget does not finish this line at all.
        var budget = TimeSpan.FromSeconds(1);
        Assert.Throws<RegexMatchTimeoutException>(() => new Regex(pattern, RegexOptions.None, budget).IsMatch(endless));

        GrepOutput found = null!;
        // CPU time on this thread (the fallback searches on the caller's thread), which other load does not inflate.
        var cpu = ThreadCpu.Best(() => found = Same(Request(pattern, _tree.Root, GrepOutputMode.Count)), runs: 1);

        Assert.Equal([_tree.At("a.txt") + ":1"], found.Lines);
        Assert.True(cpu < budget, $"the fallback took {cpu} of CPU");
    }

    private static readonly string[] Lines =
        ["foo", "bar", "Foo bar", "x1 y22", "", "  indented\tfoo", "é café", "fooBar_baz", "1234", "a-b", "FOO", "end.", "ǅ ΣΑΣ", "c\r"];

    private static readonly string[] Patterns =
    [
        "foo", "^foo", "bar$", "f.o", "[a-z]+\\d", "\\w+_", "\\bfoo\\b", "foo|bar", "x1?", "o{2}", "^$", "\\s+foo", "é",
        "[^a-z ]", "\\p{Lu}", "\\d{2,3}", "(?i)foo", "a.b", "(foo)+", "(?P<w>ba)r", "\\.", "[[:alpha:]]", "a(?=b)", "\\x41|\\u00e9",
        "\\W\\w", "(?s)o.b", "foo\\nbar", "\\S+$", "[\\w-]+", "ΣΑΣ", "(?i)σας", "caf\\B",
    ];

    private static readonly string[] Names = ["x.txt", "y.rs", "z.md", ".d.txt", "w"];
    private static readonly string[] Directories = ["", "a/", "a/b/", ".h/", "c/"];
    private static readonly string[] IgnoreRules = ["*.md", "!z.md", "a/", "/y.rs", "b", "*.txt", "!x.txt", ".d.txt", "**/w", "c/*.rs"];

    private sealed record Scenario(string[][] Files, string[][] Ignores, string Pattern, GrepOutputMode Mode, bool IgnoreCase,
        bool LineNumbers, int Before, int After, bool Multiline, string? Glob, string? Type);

    private static readonly Gen<Scenario> Scenarios = Gen.Select(
        Gen.Select(Gen.OneOf(Directories), Gen.OneOf(Names), Gen.OneOf(Lines).Array[0, 6],
            (d, n, lines) => new[] { d + n, string.Join('\n', lines) + (lines.Length % 2 == 0 ? "\n" : "") }).Array[1, 8],
        Gen.Select(Gen.OneOf(Directories), Gen.OneOf(".gitignore", ".ignore", ".rgignore"), Gen.OneOf(IgnoreRules).Array[1, 3],
            (d, n, rules) => new[] { d + n, string.Join('\n', rules) + "\n" }).Array[0, 2],
        Gen.OneOf(Patterns),
        Gen.OneOf(GrepOutputMode.Content, GrepOutputMode.FilesWithMatches, GrepOutputMode.Count),
        Gen.Bool, Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool,
        Gen.OneOf<string?>(null, null, "*.txt", "!*.md", "a/**", "*.{rs,md}"),
        Gen.OneOf<string?>(null, null, "rust", "txt"),
        (files, ignores, pattern, mode, ic, n, b, a, multiline, glob, type) =>
            new Scenario(files, ignores, pattern, mode, ic, n, b, a, multiline, glob, type));

    [Fact]
    public void Generated_trees_and_requests_print_the_same_through_both_engines()
    {
        var compared = 0;
        var refused = 0;
        Scenarios.Sample(scenario =>
        {
            using var tree = new TempTree();
            foreach (var file in scenario.Files.Concat(scenario.Ignores)) tree.Write(file[0], file[1]);
            var request = Request(scenario.Pattern, tree.Root, scenario.Mode, scenario.IgnoreCase, scenario.LineNumbers,
                scenario.Before, scenario.After, scenario.Multiline, scenario.Glob, scenario.Type);
            if (Same(request).Error is null) compared++;
            else refused++;
        }, iter: 400, threads: 1, print: s => $"{string.Join(" | ", s.Files.Concat(s.Ignores).Select(f => f[0] + "=" + f[1].Replace("\n", "\\n")))} :: {s}");
        Assert.True(compared > refused * 2, $"only {compared} of {compared + refused} requests were compared; the fallback refused the rest");
    }
}
