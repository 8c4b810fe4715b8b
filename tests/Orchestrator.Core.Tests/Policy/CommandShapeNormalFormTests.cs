using Orchestrator.Core.Classification;
using Orchestrator.Core.Tests.Classification;

namespace Orchestrator.Core.Tests.Policy;

/// <summary>Commands read as their programs read them: the normal form the deny and ask rules are matched on.</summary>
public class CommandShapeNormalFormTests
{
    [Theory]
    [InlineData("git -C . push origin main", "git push -C . origin main")]
    [InlineData("git --no-pager -c a=b push --force origin", "git push --no-pager -c a=b --force origin")]
    [InlineData("git push origin main -f", "git push --force origin main")]
    [InlineData("rm -fr /", "rm --force --recursive /")]
    [InlineData("rm -rf -- -x", "rm --recursive --force -- -x")]
    [InlineData("/usr/bin/rm -r x", "rm --recursive x")]
    [InlineData("chmod 777 -R .", "chmod --recursive 777 .")]
    public void Reads_options_wherever_they_stand(string command, string normal) =>
        Assert.Equal(normal, CommandClassifier.Default.Describe(Words.Split(command)).ToString());

    [Fact]
    public void Groups_the_spellings_of_an_option()
    {
        var shape = CommandClassifier.Default.Describe(Words.Split("rm --recursive x"));
        var option = Assert.Single(shape.Options);
        Assert.True(option.IsSpelledAs("-r"));
        Assert.True(option.IsSpelledAs("-R"));
    }

    [Fact]
    public void Reads_an_unknown_option_as_taking_a_value_only_when_asked()
    {
        var plain = CommandClassifier.Default.Describe(Words.Split("kubeish -n prod delete pod"));
        var greedy = CommandClassifier.Default.Describe(Words.Split("kubeish -n prod delete pod"), unknownOptionsTakeValues: true);
        Assert.Equal(["prod", "delete", "pod"], plain.Operands);
        Assert.Equal(["delete", "pod"], greedy.Operands);
        Assert.Equal("prod", Assert.Single(greedy.Options).Value);
    }
}
