using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellSubstitutionTests
{
    [Fact]
    public void Command_substitution_exposes_the_inner_command()
    {
        var result = ParseUnderstood("echo $(rm x)");
        Assert.Equal(["echo", "rm"], CommandNames(result));
        var part = Assert.IsType<CommandSubstitutionPart>(Assert.Single(result.SimpleCommands[0].Words[1].Parts));
        Assert.False(part.Backtick);
    }

    [Fact]
    public void Backticks_expose_the_inner_command()
    {
        var result = ParseUnderstood("echo `rm x`");
        Assert.Equal(["echo", "rm"], CommandNames(result));
        Assert.True(Assert.IsType<CommandSubstitutionPart>(result.SimpleCommands[0].Words[1].Parts[0]).Backtick);
    }

    [Fact]
    public void Escaped_backticks_nest()
    {
        var result = ParseUnderstood("echo `echo \\`rm x\\``");
        Assert.Equal(["echo", "echo", "rm"], CommandNames(result));
    }

    [Fact]
    public void Command_substitution_inside_double_quotes_is_exposed()
    {
        var result = ParseUnderstood("echo \"user: $(whoami) at `hostname`\"");
        Assert.Equal(["echo", "whoami", "hostname"], CommandNames(result));
    }

    [Fact]
    public void Nested_command_substitutions_are_all_exposed()
    {
        var result = ParseUnderstood("a $(b $(c $(d)))");
        Assert.Equal(["a", "b", "c", "d"], CommandNames(result));
    }

    [Fact]
    public void Command_substitution_may_contain_parentheses_quotes_and_case_patterns()
    {
        var result = ParseUnderstood("echo $(case $x in a) echo ')' ;; (b|c) rm y;; esac; (ls))");
        Assert.Equal(["echo", "echo", "rm", "ls"], CommandNames(result));
    }

    [Fact]
    public void Command_substitution_with_a_comment_inside_is_understood()
    {
        var result = ParseUnderstood("echo $(ls # ) not the end\n)");
        Assert.Equal(["echo", "ls"], CommandNames(result));
    }

    [Fact]
    public void Input_process_substitution_exposes_the_command()
    {
        var result = ParseUnderstood("cat <(curl x)");
        Assert.Equal(["cat", "curl"], CommandNames(result));
        var part = Assert.IsType<ProcessSubstitutionPart>(Assert.Single(result.SimpleCommands[0].Words[1].Parts));
        Assert.True(part.IsInput);
        Assert.Empty(result.SimpleCommands[0].Redirections);
    }

    [Fact]
    public void Output_process_substitution_exposes_the_command()
    {
        var result = ParseUnderstood("tee >(sh) < in");
        Assert.Equal(["tee", "sh"], CommandNames(result));
        Assert.False(Assert.IsType<ProcessSubstitutionPart>(result.SimpleCommands[0].Words[1].Parts[0]).IsInput);
    }

    [Fact]
    public void Substitutions_in_redirection_targets_are_exposed()
    {
        var result = ParseUnderstood("echo hi > $(mktemp)");
        Assert.Equal(["echo", "mktemp"], CommandNames(result));
        Assert.True(result.SimpleCommands[0].Redirections[0].IsFileWrite);
        Assert.False(result.SimpleCommands[0].Redirections[0].Target!.IsStatic);
    }

    [Fact]
    public void Nested_commands_follow_their_enclosing_command_in_source_order()
    {
        var result = ParseUnderstood("> $(a) b $(c) 2> $(d)");
        Assert.Equal(["b", "a", "c", "d"], CommandNames(result));
    }

    [Fact]
    public void Empty_command_substitution_is_understood()
    {
        Assert.Equal(["echo"], CommandNames(ParseUnderstood("echo $() ``")));
    }

    [Fact]
    public void Parentheses_quoted_inside_arithmetic_do_not_end_it_early()
    {
        var result = ShellParser.Parse("echo $(( ')' )) ; rm x");
        Assert.Contains(result.SimpleCommands, command => command.Words[0].StaticValue == "rm");
    }
}
