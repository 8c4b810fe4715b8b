using System.Text;
using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellParserRobustnessTests
{
    [Fact]
    public void Ten_thousand_open_parens_are_not_understood_without_crashing()
    {
        var result = ShellParser.Parse(new string('(', 10_000));
        Assert.False(result.FullyUnderstood);
    }

    [Theory]
    [InlineData("( ", " )")]
    [InlineData("$(", ")")]
    [InlineData("{ ", "; }")]
    [InlineData("<(", ")")]
    [InlineData("\"$(", ")\"")]
    [InlineData("if true; then ", "; fi")]
    public void Nesting_beyond_the_limit_is_not_understood(string open, string close)
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 10_000; i++) deep.Append(open);
        deep.Append("cat x");
        for (var i = 0; i < 10_000; i++) deep.Append(close);
        var result = ShellParser.Parse(deep.ToString());
        Assert.False(result.FullyUnderstood);
        Assert.Contains("nesting", result.Problem);
    }

    [Fact]
    public void Nesting_within_the_limit_is_understood()
    {
        var source = string.Concat(Enumerable.Repeat("$(", 30)) + "rm x" + new string(')', 30);
        var result = ParseUnderstood("echo " + source);
        Assert.Equal("rm", result.SimpleCommands[^1].Words[0].StaticValue);
    }

    [Fact]
    public void Deeply_nested_backticks_are_not_understood_without_crashing()
    {
        var source = "rm";
        for (var i = 0; i < 12; i++) source = "`echo " + source.Replace("\\", "\\\\").Replace("`", "\\`") + "`";
        var result = ShellParser.Parse(source);
        Assert.NotNull(result);
    }

    [Fact]
    public void Random_metacharacter_soup_never_throws()
    {
        const string alphabet = "()<>{}[]|&;$`'\"\\ \t\n#!*?~=+-_:,.%@^/012abcdefghijklmnopqrstuvwxyz";
        string[] fragments = ["$(", "${", "$((", "))", "<<EOF\n", "\nEOF\n", "<<-", "<<<", "[[", "]]", "if ", "then ", "fi",
            "case ", " in ", "esac", "for ", "do ", "done", ";;", "|&", "&>", "2>&1", "$'", "<(", ">(", "{fd}>", "\\\n"];
        var random = new Random(20261122);
        for (var iteration = 0; iteration < 5000; iteration++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 80);
            for (var i = 0; i < length; i++)
            {
                if (random.Next(5) == 0) builder.Append(fragments[random.Next(fragments.Length)]);
                else builder.Append(alphabet[random.Next(alphabet.Length)]);
            }
            var source = builder.ToString();
            var result = ShellParser.Parse(source);
            Assert.NotNull(result.Script);
            Assert.DoesNotContain("internal parser error", result.Problem ?? "");
            Assert.Equal(result.FullyUnderstood, result.Problem is null);
            if (!result.FullyUnderstood) Assert.InRange(result.ProblemOffset!.Value, 0, Math.Max(0, source.Length));
        }
    }
}
