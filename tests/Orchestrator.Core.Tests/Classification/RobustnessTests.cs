using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

public class RobustnessTests
{
    private static readonly CommandClassifier Classifier = CommandClassifier.Default;

    [Fact]
    public void Empty_argv_is_unknown_empty_command()
    {
        var result = Classifier.Classify([]);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Equal("empty command", result.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/usr/bin/")]
    public void Argv_without_a_program_name_is_unknown(string program)
    {
        Assert.Equal(CommandRisk.Unknown, Classifier.Classify([program]).Risk);
    }

    [Fact]
    public void Programs_named_by_a_path_outside_the_catalog_are_unknown()
    {
        var result = Classifier.Classify(["./scripts/deploy"]);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Contains("by path", result.Reason);
    }

    [Fact]
    public void Odd_argument_shapes_never_throw()
    {
        string[] pieces = ["-", "--", "-e", "-f", "-i", "-C", "-c", "-x", "=", "a=b", "'", "{}", ";", "+", "", "-o", "--output=", "s/", "e", "|", ">", ":", "host:x", "-exec", "(", "\\"];
        var programs = new[] { "sed", "awk", "find", "tar", "git", "env", "timeout", "bash", "rsync", "grep", "cp", "chmod", "cd", "eval", "export", "dd", "ssh", "npm", "jq", "xargs" };
        var random = new Random(12345);
        for (var round = 0; round < 5000; round++)
        {
            var argv = new List<string> { programs[random.Next(programs.Length)] };
            var count = random.Next(6);
            for (var k = 0; k < count; k++) argv.Add(pieces[random.Next(pieces.Length)]);

            var result = Classifier.Classify(argv);

            Assert.NotNull(result.Reason);
            Assert.NotNull(result.Paths);
        }
    }

    [Fact]
    public void Null_words_are_unknown_rather_than_an_exception()
    {
        Assert.Equal(CommandRisk.Unknown, Classifier.Classify(["ls", null!]).Risk);
    }
}
