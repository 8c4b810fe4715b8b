using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellWordTests
{
    [Fact]
    public void Plain_word_is_static()
    {
        var word = SingleWord("hello");
        Assert.True(word.IsStatic);
        Assert.Equal("hello", word.StaticValue);
        Assert.Equal("hello", word.Raw);
    }

    [Fact]
    public void Single_quotes_preserve_everything_literally()
    {
        var word = SingleWord("'$(rm -rf /) `x` \\n'");
        Assert.True(word.IsStatic);
        Assert.Equal("$(rm -rf /) `x` \\n", word.StaticValue);
    }

    [Fact]
    public void Double_quote_escapes_are_removed_only_before_special_characters()
    {
        var word = SingleWord("\"a\\$b\\\"c\\\\d\\ne\"");
        Assert.Equal("a$b\"c\\d\\ne", word.StaticValue);
        Assert.IsType<LiteralPart>(Assert.Single(word.Parts));
        Assert.Equal(QuoteKind.Double, ((LiteralPart)word.Parts[0]).Quote);
    }

    [Fact]
    public void Adjacent_quoted_and_unquoted_pieces_form_one_word()
    {
        var word = SingleWord("a'b'\"c\"d");
        Assert.Equal("abcd", word.StaticValue);
    }

    [Fact]
    public void Empty_quotes_form_an_empty_static_word()
    {
        var command = Assert.Single(ParseUnderstood("echo '' \"\"").SimpleCommands);
        Assert.Equal(["echo", "", ""], command.Words.Select(word => word.StaticValue));
    }

    [Fact]
    public void Ansi_c_quotes_decode_escapes()
    {
        var word = SingleWord("$'a\\tb\\x41\\101\\u00e9\\'q\\n'");
        Assert.True(word.IsStatic);
        Assert.Equal("a\tbAAé'q\n", word.StaticValue);
        Assert.Equal(QuoteKind.AnsiC, ((LiteralPart)word.Parts[0]).Quote);
    }

    [Fact]
    public void Ansi_c_quotes_are_cut_at_a_nul_like_bash_does()
    {
        Assert.Equal("rm", SingleWord("$'rm\\0-rf'").StaticValue);
    }

    [Fact]
    public void Locale_quotes_behave_like_double_quotes()
    {
        var word = SingleWord("$\"hi $USER\"");
        Assert.False(word.IsStatic);
        Assert.Contains(word.Parts, part => part is ParameterPart { Name: "USER" });
    }

    [Fact]
    public void Backslash_escapes_make_characters_literal()
    {
        var word = SingleWord("\\*\\$HOME");
        Assert.True(word.IsStatic);
        Assert.False(word.HasUnquotedGlob);
        Assert.Equal("*$HOME", word.StaticValue);
    }

    [Fact]
    public void Parameter_expansion_makes_a_word_non_static()
    {
        var word = SingleWord("$HOME/x");
        Assert.False(word.IsStatic);
        Assert.Null(word.StaticValue);
        var parameter = Assert.IsType<ParameterPart>(word.Parts[0]);
        Assert.Equal("HOME", parameter.Name);
        Assert.Equal("$HOME", parameter.Raw);
    }

    [Theory]
    [InlineData("$1", "1")]
    [InlineData("$@", "@")]
    [InlineData("$?", "?")]
    [InlineData("${PATH}", "PATH")]
    [InlineData("${x:-default}", "x")]
    [InlineData("${#list}", "list")]
    [InlineData("${10}", "10")]
    public void Parameter_names_are_extracted(string text, string name)
    {
        var parameter = Assert.IsType<ParameterPart>(Assert.Single(SingleWord(text).Parts));
        Assert.Equal(name, parameter.Name);
        Assert.Equal(text, parameter.Raw);
    }

    [Fact]
    public void Nested_braces_in_parameter_expansion_are_balanced()
    {
        var parameter = Assert.IsType<ParameterPart>(Assert.Single(SingleWord("${a:-${b:-c}}").Parts));
        Assert.Equal("${a:-${b:-c}}", parameter.Raw);
    }

    [Fact]
    public void Lone_dollar_is_literal()
    {
        var command = Assert.Single(ParseUnderstood("echo $ a$").SimpleCommands);
        Assert.Equal(["echo", "$", "a$"], command.Words.Select(word => word.StaticValue));
    }

    [Fact]
    public void Arithmetic_expansion_is_its_own_part()
    {
        var word = SingleWord("$((1 + (2 * 3)))");
        var arithmetic = Assert.IsType<ArithmeticPart>(Assert.Single(word.Parts));
        Assert.Equal("$((1 + (2 * 3)))", arithmetic.Raw);
        Assert.False(word.IsStatic);
    }

    [Fact]
    public void Dollar_paren_paren_that_is_not_arithmetic_is_a_command_substitution()
    {
        var result = ParseUnderstood("echo $( (rm x) )");
        Assert.Equal(["echo", "rm"], CommandNames(result));
    }

    [Fact]
    public void Unquoted_glob_characters_are_flagged_but_static()
    {
        var word = SingleWord("*.txt");
        Assert.True(word.IsStatic);
        Assert.True(word.HasUnquotedGlob);
        Assert.False(SingleWord("'*.txt'").HasUnquotedGlob);
        Assert.True(SingleWord("file?.[ch]").HasUnquotedGlob);
    }

    [Fact]
    public void Leading_unquoted_tilde_is_flagged()
    {
        Assert.True(SingleWord("~/x").HasTilde);
        Assert.True(SingleWord("~/x").IsStatic);
        Assert.False(SingleWord("'~'/x").HasTilde);
        Assert.False(SingleWord("a~").HasTilde);
    }

    [Fact]
    public void Brace_expansion_is_flagged()
    {
        Assert.True(SingleWord("{a,b}").HasBraceExpansion);
        Assert.False(SingleWord("'{a,b}'").HasBraceExpansion);
    }

    [Fact]
    public void Double_quotes_nested_inside_parameter_expansion_are_skipped()
    {
        var parameter = Assert.IsType<ParameterPart>(Assert.Single(SingleWord("\"${x:-\"a}\"}\"").Parts));
        Assert.Equal("${x:-\"a}\"}", parameter.Raw);
    }

    [Fact]
    public void Expansions_record_whether_they_are_double_quoted()
    {
        var command = Assert.Single(ParseUnderstood("rm $a \"$b\" \"$(c)\" `d` $((1))").SimpleCommands.Take(1));
        Assert.False(Assert.IsType<ParameterPart>(command.Words[1].Parts[0]).InDoubleQuotes);
        Assert.True(Assert.IsType<ParameterPart>(command.Words[2].Parts[0]).InDoubleQuotes);
        Assert.True(Assert.IsType<CommandSubstitutionPart>(command.Words[3].Parts[0]).InDoubleQuotes);
        Assert.False(Assert.IsType<CommandSubstitutionPart>(command.Words[4].Parts[0]).InDoubleQuotes);
        Assert.False(Assert.IsType<ArithmeticPart>(command.Words[5].Parts[0]).InDoubleQuotes);
    }

    [Fact]
    public void Copy_with_other_parts_recomputes_static_value()
    {
        var word = SingleWord("safe") with { Parts = [new ParameterPart("$x", "x")] };
        Assert.False(word.IsStatic);
        Assert.Null(word.StaticValue);
    }
}
