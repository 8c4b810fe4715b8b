using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellRedirectionTests
{
    private static Redirection OnlyRedirection(string source) =>
        Assert.Single(Assert.Single(ParseUnderstood(source).SimpleCommands).Redirections);

    [Fact]
    public void Output_redirection_is_a_file_write_with_static_target()
    {
        var redirection = OnlyRedirection("echo hi > /etc/passwd");
        Assert.Equal(">", redirection.Operator);
        Assert.Null(redirection.Fd);
        Assert.True(redirection.IsFileWrite);
        Assert.Equal("/etc/passwd", redirection.Target!.StaticValue);
    }

    [Fact]
    public void Redirection_is_not_a_word_of_the_command()
    {
        var command = Assert.Single(ParseUnderstood("echo hi >out there").SimpleCommands);
        Assert.Equal(["echo", "hi", "there"], command.Words.Select(word => word.StaticValue));
    }

    [Theory]
    [InlineData("cmd >> f", ">>")]
    [InlineData("cmd >| f", ">|")]
    [InlineData("cmd &> f", "&>")]
    [InlineData("cmd &>> f", "&>>")]
    [InlineData("cmd <> f", "<>")]
    [InlineData("cmd >& f", ">&")]
    public void Writing_operators_are_file_writes(string source, string op)
    {
        var redirection = OnlyRedirection(source);
        Assert.Equal(op, redirection.Operator);
        Assert.True(redirection.IsFileWrite);
    }

    [Theory]
    [InlineData("cmd 2>&1", 2, ">&")]
    [InlineData("cmd >&-", null, ">&")]
    [InlineData("cmd 3<&0", 3, "<&")]
    [InlineData("cmd < in", null, "<")]
    [InlineData("cmd <<< 'text'", null, "<<<")]
    public void Descriptor_duplication_and_input_are_not_file_writes(string source, int? fd, string op)
    {
        var redirection = OnlyRedirection(source);
        Assert.Equal(fd, redirection.Fd);
        Assert.Equal(op, redirection.Operator);
        Assert.False(redirection.IsFileWrite);
    }

    [Fact]
    public void Fd_prefix_is_recorded()
    {
        var redirection = OnlyRedirection("cmd 2>/dev/null");
        Assert.Equal(2, redirection.Fd);
        Assert.Equal("/dev/null", redirection.Target!.StaticValue);
    }

    [Fact]
    public void Digits_separated_from_the_operator_are_an_argument()
    {
        var command = Assert.Single(ParseUnderstood("echo 2 > f").SimpleCommands);
        Assert.Equal(["echo", "2"], command.Words.Select(word => word.Raw));
        Assert.Null(command.Redirections[0].Fd);
    }

    [Fact]
    public void Here_string_keeps_its_word()
    {
        var redirection = Assert.Single(ParseUnderstood("cat <<< \"$(id)\"").SimpleCommands[0].Redirections);
        Assert.Equal("<<<", redirection.Operator);
        Assert.Contains(redirection.Target!.Parts, part => part is CommandSubstitutionPart);
        Assert.Equal(["cat", "id"], CommandNames(ParseUnderstood("cat <<< \"$(id)\"")));
    }

    [Fact]
    public void Redirection_only_command_is_understood()
    {
        var command = Assert.Single(ParseUnderstood("> truncate.me").SimpleCommands);
        Assert.Empty(command.Words);
        Assert.True(Assert.Single(command.Redirections).IsFileWrite);
    }

    [Fact]
    public void Compound_commands_carry_their_redirections()
    {
        var script = ParseUnderstood("{ echo a; echo b; } > out 2>&1").Script;
        var group = Assert.IsType<BraceGroup>(script.Lists[0].Pipelines[0].Commands[0]);
        Assert.Equal(2, group.Redirections.Count);
        Assert.True(group.Redirections[0].IsFileWrite);
        Assert.False(group.Redirections[1].IsFileWrite);
    }

    [Fact]
    public void Variable_descriptor_redirection_is_not_understood()
    {
        ParseNotUnderstood("exec {fd}> file");
    }

    [Fact]
    public void Missing_redirection_target_is_not_understood()
    {
        ParseNotUnderstood("echo hi >");
        ParseNotUnderstood("echo hi > | cat");
        ParseNotUnderstood("echo >2>&1");
    }
}
