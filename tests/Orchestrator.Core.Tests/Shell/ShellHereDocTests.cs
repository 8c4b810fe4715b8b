using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellHereDocTests
{
    [Fact]
    public void Here_doc_body_is_captured()
    {
        var result = ParseUnderstood("cat <<EOF\nhello\nworld\nEOF\necho done");
        var redirection = Assert.Single(result.SimpleCommands[0].Redirections);
        Assert.Equal("<<", redirection.Operator);
        Assert.Equal("hello\nworld\n", redirection.HereDocBody);
        Assert.True(redirection.HereDocExpands);
        Assert.False(redirection.IsFileWrite);
        Assert.Equal(["cat", "echo"], CommandNames(result));
    }

    [Fact]
    public void Command_substitution_in_unquoted_here_doc_is_exposed()
    {
        var result = ParseUnderstood("cat <<EOF\nI am $(whoami) on `hostname`\nEOF");
        Assert.Equal(["cat", "whoami", "hostname"], CommandNames(result));
    }

    [Theory]
    [InlineData("cat <<'EOF'\n$(whoami)\nEOF")]
    [InlineData("cat <<\"EOF\"\n$(whoami)\nEOF")]
    [InlineData("cat <<\\EOF\n$(whoami)\nEOF")]
    public void Quoted_delimiter_disables_expansion(string source)
    {
        var result = ParseUnderstood(source);
        Assert.Equal(["cat"], CommandNames(result));
        var redirection = Assert.Single(result.SimpleCommands[0].Redirections);
        Assert.False(redirection.HereDocExpands);
        Assert.Equal("$(whoami)\n", redirection.HereDocBody);
        Assert.Null(redirection.HereDocContent);
    }

    [Fact]
    public void Dash_here_doc_strips_leading_tabs()
    {
        var redirection = Assert.Single(ParseUnderstood("cat <<-END\n\t\tindented\n\tEND\n").SimpleCommands[0].Redirections);
        Assert.Equal("<<-", redirection.Operator);
        Assert.Equal("indented\n", redirection.HereDocBody);
    }

    [Fact]
    public void Several_here_docs_on_one_line_are_read_in_order()
    {
        var result = ParseUnderstood("paste <<A /dev/stdin <<B | sort\none\nA\ntwo\nB\nls");
        var redirections = result.SimpleCommands[0].Redirections;
        Assert.Equal("one\n", redirections[0].HereDocBody);
        Assert.Equal("two\n", redirections[1].HereDocBody);
        Assert.Equal(["paste", "sort", "ls"], CommandNames(result));
    }

    [Fact]
    public void Here_doc_body_lines_are_not_parsed_as_commands()
    {
        var result = ParseUnderstood("cat <<EOF\nrm -rf /\nEOF");
        Assert.Equal(["cat"], CommandNames(result));
    }

    [Fact]
    public void Here_doc_inside_command_substitution_is_read()
    {
        var result = ParseUnderstood("x=$(cat <<EOF\n$(id)\nEOF\n)\necho $x");
        Assert.Equal(["cat", "id", "echo"], CommandNames(result));
    }

    [Fact]
    public void Unterminated_here_doc_is_not_understood()
    {
        ParseNotUnderstood("cat <<EOF\nno end");
        ParseNotUnderstood("cat <<EOF");
    }

    [Fact]
    public void Problem_inside_here_doc_body_makes_script_not_understood()
    {
        ParseNotUnderstood("cat <<EOF\n$(unterminated\nEOF");
    }

    [Fact]
    public void Backslash_newline_in_unquoted_here_doc_hides_a_delimiter_line_like_bash()
    {
        var result = ParseUnderstood("cat <<EOF\nline \\\nEOF\nEOF\necho after");
        Assert.Equal("line EOF\n", result.SimpleCommands[0].Redirections[0].HereDocBody);
        Assert.Equal(["cat", "echo"], CommandNames(result));
    }

    [Fact]
    public void Delimiter_split_by_backslash_newline_still_ends_the_body()
    {
        var result = ParseUnderstood("cat <<EOF\nE\\\nOF\nrm x");
        Assert.Equal(["cat", "rm"], CommandNames(result));
    }

    [Fact]
    public void Escaped_backslash_before_newline_is_not_a_continuation()
    {
        var result = ParseUnderstood("cat <<EOF\nx \\\\\nEOF\nrm y");
        Assert.Equal(["cat", "rm"], CommandNames(result));
    }

    [Fact]
    public void Quoted_here_doc_keeps_backslash_newline_literally()
    {
        var result = ParseUnderstood("cat <<'EOF'\nx \\\nEOF\nrm y");
        Assert.Equal("x \\\n", result.SimpleCommands[0].Redirections[0].HereDocBody);
        Assert.Equal(["cat", "rm"], CommandNames(result));
    }

    [Fact]
    public void Newline_inside_command_substitution_does_not_start_an_outer_here_doc_body()
    {
        // bash: the body starts after the line that holds the whole $( ), so "echo BODY" is body text.
        var result = ParseUnderstood("cat <<EOF; echo X $(echo Y\n)\necho BODY\nEOF\necho END");
        Assert.Equal("echo BODY\n", result.SimpleCommands[0].Redirections[0].HereDocBody);
        Assert.Equal(["cat", "echo", "echo", "echo"], CommandNames(result));
        Assert.Equal("END", result.SimpleCommands[^1].Words[1].StaticValue);
    }

    [Fact]
    public void Here_doc_opened_inside_command_substitution_takes_its_body_after_the_line()
    {
        // bash reads the body of an unterminated here-document from a closed $( ) after the outer newline.
        var result = ParseUnderstood("echo $(cat <<EOF)\necho INNER\nEOF\necho END");
        Assert.Equal(["echo", "cat", "echo"], CommandNames(result));
        Assert.Equal("echo INNER\n", result.SimpleCommands[1].Redirections[0].HereDocBody);
    }

    [Fact]
    public void Unterminated_here_doc_inside_backticks_is_not_understood()
    {
        // bash ends that body at the closing backtick and then runs the following lines as commands.
        ParseNotUnderstood("echo `cat <<EOF`\necho INNER\nEOF");
    }
}
