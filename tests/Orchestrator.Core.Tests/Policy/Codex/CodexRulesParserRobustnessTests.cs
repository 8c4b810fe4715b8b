using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexRulesParserRobustnessTests
{
    private const string Valid = """
        # comment
        prefix_rule(
            pattern = ["git", ["status", "log"], "--oneline"],
            decision = "prompt",
            justification = '''why''',
            match = ["git status --oneline", ["git", "log", "--oneline", "-5"]],
            not_match = ["git push"],
        )
        """;

    [Theory]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("prefix_rule(")]
    [InlineData("prefix_rule(pattern")]
    [InlineData("prefix_rule(pattern=")]
    [InlineData("prefix_rule(pattern=[")]
    [InlineData("\"")]
    [InlineData("'''")]
    [InlineData("\\")]
    [InlineData("r")]
    [InlineData("\"\\x4")]
    [InlineData("\"\\U0011ffff\"")]
    public void Truncated_or_garbage_input_gives_errors_not_exceptions(string text)
    {
        var file = CodexRulesParser.Parse(text, "policy.rules");
        Assert.NotEmpty(file.Errors);
        Assert.All(file.Errors, error => Assert.True(error.Location.Line >= 1 && error.Location.Column >= 1));
    }

    [Fact]
    public void Randomly_mutated_files_never_throw()
    {
        var random = new Random(12345);
        const string alphabet = "()[],=\"'\\#\n prefix_rule pattern abc 1";
        for (var round = 0; round < 2000; round++)
        {
            var chars = Valid.ToCharArray().ToList();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            var file = CodexRulesParser.Parse(new string(chars.ToArray()), "policy.rules");
            Assert.True(file.Rules.Count <= 1);
        }
    }
}
