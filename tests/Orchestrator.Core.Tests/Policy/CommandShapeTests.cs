using Orchestrator.Core.Classification;
using Orchestrator.Core.Tests.Classification;

namespace Orchestrator.Core.Tests.Policy;

/// <summary>Commands read as their programs read them: the normal form the deny and ask rules are matched on.</summary>
public class CommandShapeTests
{
    [Theory]
    [InlineData("git -C . push origin main", "git push -C . origin main")]
    [InlineData("git --no-pager -c a=b push --force origin", "git push --no-pager -c a=b --force origin")]
    [InlineData("git push origin main -f", "git push -f origin main")]
    [InlineData("rm -fr /", "rm -f -r /")]
    [InlineData("rm -rf -- -x", "rm -r -f -- -x")]
    [InlineData("/usr/bin/rm -r x", "rm -r x")]
    [InlineData("chmod 777 -R .", "chmod -R 777 .")]
    [InlineData("kubectl -n prod delete pod x", "kubectl -n prod delete pod x")]
    public void Reads_options_wherever_they_stand(string command, string normal) =>
        Assert.Equal(normal, CommandClassifier.Default.Shape(Words.Split(command)).ToString());

    [Fact]
    public void Groups_the_spellings_of_an_option()
    {
        var shape = CommandClassifier.Default.Shape(Words.Split("rm --recursive x"));
        var option = Assert.Single(shape.Options);
        Assert.Contains("-r", option.Names);
        Assert.Contains("-R", option.Names);
    }

    [Fact]
    public void Reads_an_unknown_option_as_taking_a_value_only_when_asked()
    {
        var plain = CommandClassifier.Default.Shape(Words.Split("kubectl -n prod delete pod"));
        var greedy = CommandClassifier.Default.Shape(Words.Split("kubectl -n prod delete pod"), unknownOptionsTakeValues: true);
        Assert.Equal(["prod", "delete", "pod"], plain.Operands);
        Assert.Equal(["delete", "pod"], greedy.Operands);
        Assert.Equal("prod", Assert.Single(greedy.Options).Value);
    }
}
