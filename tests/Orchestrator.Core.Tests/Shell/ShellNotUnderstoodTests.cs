using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellNotUnderstoodTests
{
    [Theory]
    [InlineData("echo 'abc")]
    [InlineData("echo \"abc")]
    [InlineData("echo $'abc")]
    [InlineData("echo $(ls")]
    [InlineData("echo `ls")]
    [InlineData("echo ${x")]
    [InlineData("cat <(ls")]
    public void Unterminated_quotes_and_substitutions_are_not_understood(string source)
    {
        ParseNotUnderstood(source);
    }

    [Theory]
    [InlineData("(ls")]
    [InlineData("ls )")]
    [InlineData("{ ls;")]
    [InlineData("ls; }")]
    [InlineData("if true; then ls")]
    [InlineData("for x in a; do ls")]
    [InlineData("case x in a) ls")]
    [InlineData("[[ -f x")]
    public void Unbalanced_constructs_are_not_understood(string source)
    {
        ParseNotUnderstood(source);
    }

    [Theory]
    [InlineData("f() { rm -rf /; }")]
    [InlineData("function f { ls; }")]
    [InlineData("coproc ls")]
    [InlineData("select x in a b; do ls; done")]
    [InlineData("(( i++ ))")]
    [InlineData("for ((i=0; i<3; i++)); do ls; done")]
    [InlineData("a=(x y)")]
    [InlineData("a[0]=x")]
    [InlineData("a[ echo hi; rm x ]")]
    [InlineData("]]")]
    [InlineData("echo $[1+2]")]
    public void Unsupported_syntax_is_not_understood(string source)
    {
        ParseNotUnderstood(source);
    }

    [Theory]
    [InlineData("&& ls")]
    [InlineData("ls |")]
    [InlineData("ls &&")]
    [InlineData("; ls")]
    [InlineData("ls ;; ls")]
    [InlineData("ls | | wc")]
    [InlineData("()")]
    [InlineData("{ }")]
    [InlineData("if then fi")]
    [InlineData("ls & ;")]
    public void Missing_commands_are_not_understood(string source)
    {
        ParseNotUnderstood(source);
    }

    [Theory]
    [InlineData("echo ${x:-$(rm y)}")]
    [InlineData("echo ${x:-`rm y`}")]
    [InlineData("echo $(( $(rm y) + 1 ))")]
    [InlineData("echo \"${x:-\"$(rm y)\"}\"")]
    [InlineData("x='$(rm y)'; echo ${x@P}")]
    public void Command_substitution_hidden_in_other_expansions_is_not_understood(string source)
    {
        ParseNotUnderstood(source);
    }

    [Fact]
    public void Problem_inside_backticks_is_reported()
    {
        ParseNotUnderstood("echo `f() { ls; }`");
    }

    [Fact]
    public void Problem_offset_points_at_the_offending_token()
    {
        var result = ParseNotUnderstood("ls && )");
        Assert.Equal(6, result.ProblemOffset);
    }

    [Fact]
    public void Commands_parsed_before_the_problem_are_still_reported()
    {
        var result = ParseNotUnderstood("rm -rf / ; echo 'oops");
        Assert.Contains(result.SimpleCommands, command => command.Words[0].StaticValue == "rm");
    }
}
