using System.Text.RegularExpressions;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Tests.Tools;

public sealed class RustRegexTests
{
    [Theory]
    [InlineData("a*+", "possessive")]
    [InlineData("[[:alpha:]]", "POSIX")]
    [InlineData("[a-z&&[^aeiou]]", "set operations")]
    [InlineData("\\p{Greek}", "general categories")]
    [InlineData("(?x)a b", "inline flags")]
    [InlineData("(?U)a+", "inline flags")]
    [InlineData("a{2000}", "repetition count")]
    [InlineData("😀", "Basic Multilingual Plane")]
    [InlineData("\\x{1F600}", "Basic Multilingual Plane")]
    public void A_ripgrep_pattern_the_fallback_cannot_match_like_ripgrep_is_refused_naming_why(string pattern, string reason)
    {
        Assert.Null(RustRegex.Translate(pattern, ignoreCase: false, out var error, out var invalid));
        Assert.False(invalid);
        Assert.Contains($"pattern '{pattern}' cannot be searched identically to ripgrep", error);
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("a(?=b)", "look-ahead")]
    [InlineData("(?<=a)b", "look-behind")]
    [InlineData("(a)\\1", "backreferences")]
    [InlineData("(?>a+)", "atomic")]
    [InlineData("a\\Z", "\\Z")]
    [InlineData("(ab", "unclosed")]
    [InlineData("ab)", "unopened")]
    [InlineData("a{,3}", "repetition")]
    [InlineData("\\y", "escape")]
    [InlineData("a\\", "incomplete escape")]
    public void A_pattern_that_is_no_ripgrep_regex_at_all_is_refused_as_invalid_naming_why(string pattern, string reason)
    {
        Assert.Null(RustRegex.Translate(pattern, ignoreCase: false, out var error, out var invalid));
        Assert.True(invalid);
        Assert.Equal(RustRegex.NotRipgrepSyntax(pattern, error![(error.IndexOf(": ", StringComparison.Ordinal) + 2)..]), error);
        Assert.Contains($"pattern '{pattern}' is not a valid ripgrep regex", error);
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("café")]
    [InlineData("\\p{Lu}")]
    [InlineData("a(?i)b")]
    public void Ignoring_case_non_ascii_letters_cased_categories_and_inner_case_flags_are_refused(string pattern) =>
        Assert.Null(RustRegex.Translate(pattern, ignoreCase: pattern != "a(?i)b", out _));

    [Theory]
    [InlineData("s", "\u017F", true)]
    [InlineData("[a-z]", "\u017F", true)]
    [InlineData("k", "\u212A", true)]
    [InlineData("[^s]", "\u017F", false)]
    public void Ignoring_case_ascii_letters_fold_as_in_rust(string pattern, string text, bool matches)
    {
        var translated = RustRegex.Translate(pattern, ignoreCase: true, out _)!;
        var regex = new Regex(translated.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        Assert.Equal(matches, regex.IsMatch(text));
    }

    [Theory]
    [InlineData(".", "😀", true)]
    [InlineData("^.$", "😀", true)]
    [InlineData("^[^a]$", "😀", true)]
    [InlineData("\\w", "\u0903", true)]   // a spacing mark (Mc): a word character in Rust, not in .NET's own \w
    [InlineData("\\w", "\u2160", true)]   // ROMAN NUMERAL ONE (Nl)
    [InlineData("(?P<x>ab)c", "abc", true)]
    [InlineData("\\x41\\u{42}", "AB", true)]
    public void Accepted_patterns_mean_what_they_mean_in_rust(string pattern, string text, bool matches)
    {
        var translated = RustRegex.Translate(pattern, ignoreCase: false, out var error);
        Assert.True(translated is not null, error);
        Assert.Equal(matches, new Regex(translated.Pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking).IsMatch(text));
    }

    [Theory]
    [InlineData("a.b", true)]
    [InlineData("a\\sb", true)]
    [InlineData("[^x]", true)]
    [InlineData("foo|bar", false)]
    [InlineData("\\w+\\d", false)]
    public void Whether_a_pattern_can_match_a_newline_decides_whole_file_or_line_search(string pattern, bool canMatch) =>
        Assert.Equal(canMatch, RustRegex.Translate(pattern, false, out _)!.CanMatchNewline(RegexOptions.Singleline | RegexOptions.CultureInvariant));
}
