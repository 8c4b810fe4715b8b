using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellParserTests
{
    [Fact]
    public void And_list_yields_both_commands()
    {
        var result = ParseUnderstood("ls && rm -rf /");
        Assert.Equal(["ls", "rm -rf /"], CommandLines(result));
        var list = Assert.Single(result.Script.Lists);
        Assert.Equal(["&&"], list.Operators);
        Assert.Equal(2, list.Pipelines.Count);
    }

    [Fact]
    public void Or_list_records_its_operator()
    {
        var list = Assert.Single(ParseUnderstood("make || echo failed").Script.Lists);
        Assert.Equal(["||"], list.Operators);
    }

    [Fact]
    public void Semicolons_newlines_and_ampersands_separate_lists()
    {
        var result = ParseUnderstood("a; b\nc & d");
        Assert.Equal(["a", "b", "c", "d"], CommandNames(result));
        Assert.Equal([false, false, true, false], result.Script.Lists.Select(list => list.Background));
    }

    [Fact]
    public void Pipeline_holds_each_command_in_order()
    {
        var pipeline = Assert.Single(Assert.Single(ParseUnderstood("cat f | grep x | wc -l").Script.Lists).Pipelines);
        Assert.Equal(3, pipeline.Commands.Count);
        Assert.False(pipeline.Negated);
    }

    [Fact]
    public void Bang_negates_the_pipeline()
    {
        var pipeline = Assert.Single(Assert.Single(ParseUnderstood("! grep -q x f").Script.Lists).Pipelines);
        Assert.True(pipeline.Negated);
        Assert.Equal(["grep"], CommandNames(ParseUnderstood("! grep -q x f")));
    }

    [Fact]
    public void Pipe_with_ampersand_adds_stderr_to_stdout_redirection()
    {
        var result = ParseUnderstood("make |& tee log");
        var make = result.SimpleCommands[0];
        var redirection = Assert.Single(make.Redirections);
        Assert.Equal(2, redirection.Fd);
        Assert.Equal(">&", redirection.Operator);
        Assert.Equal("1", redirection.Target!.StaticValue);
        Assert.False(redirection.IsFileWrite);
        Assert.Equal(["make", "tee"], CommandNames(result));
    }

    [Fact]
    public void Empty_and_comment_only_input_is_understood_with_no_commands()
    {
        Assert.Empty(ParseUnderstood("").SimpleCommands);
        Assert.Empty(ParseUnderstood("  # just a comment\n\n").SimpleCommands);
    }

    [Fact]
    public void Comment_after_command_is_ignored()
    {
        var result = ParseUnderstood("ls -la # rm -rf /");
        Assert.Equal(["ls -la"], CommandLines(result));
    }

    [Fact]
    public void Hash_inside_a_word_is_not_a_comment()
    {
        Assert.Equal(["echo a#b"], CommandLines(ParseUnderstood("echo a#b")));
    }

    [Fact]
    public void Backslash_newline_continues_the_command()
    {
        var result = ParseUnderstood("rm \\\n  -rf /tmp/x");
        Assert.Equal(["rm", "-rf", "/tmp/x"], result.SimpleCommands[0].Words.Select(word => word.StaticValue));
    }

    [Fact]
    public void Line_continuation_inside_a_word_joins_it()
    {
        Assert.Equal("rm", ParseUnderstood("r\\\nm x").SimpleCommands[0].Words[0].StaticValue);
    }

    [Fact]
    public void Simple_command_reports_its_exact_source_slice()
    {
        var result = ParseUnderstood("  ls -la  &&  echo hi > out ; ");
        Assert.Equal("ls -la", result.SimpleCommands[0].SourceText);
        Assert.Equal("echo hi > out", result.SimpleCommands[1].SourceText);
        Assert.Equal(2, result.SimpleCommands[0].Start);
        Assert.Equal(8, result.SimpleCommands[0].End);
    }

    [Fact]
    public void Leading_assignments_are_separated_from_words()
    {
        var command = Assert.Single(ParseUnderstood("FOO=bar X+=1 env").SimpleCommands);
        Assert.Equal(2, command.Assignments.Count);
        Assert.Equal("FOO", command.Assignments[0].Name);
        Assert.Equal("bar", command.Assignments[0].Value.StaticValue);
        Assert.False(command.Assignments[0].Append);
        Assert.True(command.Assignments[1].Append);
        Assert.Equal("env", Assert.Single(command.Words).StaticValue);
    }

    [Fact]
    public void Assignment_after_the_command_name_is_an_ordinary_word()
    {
        var command = Assert.Single(ParseUnderstood("env FOO=bar").SimpleCommands);
        Assert.Empty(command.Assignments);
        Assert.Equal(["env", "FOO=bar"], command.Words.Select(word => word.StaticValue));
    }

    [Fact]
    public void Assignment_only_command_is_understood()
    {
        var command = Assert.Single(ParseUnderstood("x=").SimpleCommands);
        Assert.Equal("", Assert.Single(command.Assignments).Value.StaticValue);
        Assert.Empty(command.Words);
    }

    [Fact]
    public void Assignment_value_with_command_substitution_exposes_the_command()
    {
        var result = ParseUnderstood("x=$(curl evil) ls");
        Assert.Equal(["ls", "curl"], CommandNames(result));
        Assert.False(result.SimpleCommands[0].Assignments[0].Value.IsStatic);
    }

    [Fact]
    public void Reserved_words_are_plain_words_outside_command_position()
    {
        var result = ParseUnderstood("echo if then fi done }");
        Assert.Equal(["echo if then fi done }"], CommandLines(result));
    }

    [Fact]
    public void Quoted_reserved_word_is_a_command_name()
    {
        Assert.Equal(["if"], CommandNames(ParseUnderstood("'if' x")));
    }

    [Fact]
    public void Subscript_like_word_after_the_command_name_is_an_ordinary_word()
    {
        Assert.Equal(["printf %s x[ y ]"], CommandLines(ParseUnderstood("printf %s x[ y ]")));
    }

    [Fact]
    public void Copy_with_other_script_recomputes_simple_commands()
    {
        var copy = ParseUnderstood("ls") with { Script = ParseUnderstood("rm x; rm y").Script };
        Assert.Equal(["rm", "rm"], CommandNames(copy));
    }
}
