using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

public class CatalogLoadingTests
{
    [Fact]
    public void Default_catalog_loads_once_and_knows_many_programs()
    {
        Assert.Same(CommandClassifier.Default, CommandClassifier.Default);
        Assert.True(CommandClassifier.Default.KnownProgramCount > 300);
    }

    [Fact]
    public void Custom_catalog_classifies_its_own_programs()
    {
        const string json = """
            {
              "programs": {
                "frob": {
                  "risk": "WorkspaceWrite", "reason": "frobs files",
                  "options": { "-x|--explode": { "risk": "Destructive", "reason": "frob -x explodes" } },
                  "valueOptions": ["-n"],
                  "paths": { "kind": "Write" }
                }
              },
              "environment": [ { "prefix": "FROB_", "reason": "frob reads these" } ]
            }
            """;
        var classifier = CommandClassifier.FromJson(json);

        var plain = classifier.Classify(["frob", "-n", "3", "file"]);
        Assert.Equal(CommandRisk.WorkspaceWrite, plain.Risk);
        Assert.Equal([new PathAccess("file", PathAccessKind.Write)], plain.Paths);
        Assert.Equal(CommandRisk.Destructive, classifier.Classify(["frob", "--explode"]).Risk);
        Assert.Equal(CommandRisk.Unknown, classifier.Classify(["ls"]).Risk);
        Assert.True(classifier.IsDangerousEnvironmentVariable("FROB_MODE", out _));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "expected object")]
    [InlineData("{}", "missing required property 'programs'")]
    [InlineData("""{ "programs": { "x": { "reason": "r" } } }""", "$.programs.x")]
    [InlineData("""{ "programs": { "x": { "risk": "Safe", "reason": "r" } } }""", "'Safe' is not one of")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly" } } }""", "missing required property 'reason'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "risky": true } } }""", "$.programs.x.risky")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "analyzer": "magic" } } }""", "unknown analyzer 'magic'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-y": { "risk": "Unknown" } } } } }""", "needs a 'reason'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "y": {} } } } }""", "must start with '-'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "paths": { "kind": "Append" } } } }""", "$.programs.x.paths.kind")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "aliases": ["x"] } } }""", "defined more than once")]
    [InlineData("""{ "programs": {}, "environment": [ { "reason": "r" } ] }""", "exactly one of 'name' or 'prefix'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a|--all, -a": {} } } } }""", "described more than once")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": {}, "-b|-a": {} } } } }""", "described more than once")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": { "takes": 2, "pathArgument": 2 } } } } }""", "needs 'path'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": { "takes": 1, "path": "Read", "pathArgument": 3 } } } } }""", "must name one of the option's values")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": { "chdir": true } } } } }""", "exactly one value")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": { "takes": 1, "pathAfter": ["@"] } } } } }""", "needs 'path'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "options": { "-a": { "takes": 1, "valueContains": ["x"] } } } } }""", "only qualify a 'risk'")]
    [InlineData("""{ "programs": { "x": { "risk": "ReadOnly", "reason": "r", "valueOptions": ["-a|b"] } } }""", "must start with '-'")]
    public void Malformed_catalog_gives_a_clear_error(string json, string expectedMessagePart)
    {
        var error = Assert.Throws<CommandCatalogException>(() => CommandClassifier.FromJson(json));

        Assert.Contains(expectedMessagePart, error.Message);
        Assert.StartsWith("Invalid command catalog at ", error.Message);
    }

    [Fact]
    public void Option_keys_group_spellings_with_bars_and_separate_options_with_commas()
    {
        const string json = """
            {
              "programs": {
                "frob": {
                  "risk": "ReadOnly", "reason": "frobs",
                  "options": { "-a|--all, -q|--quiet": {}, "-o|--output": { "takes": 1, "path": "Write" } },
                  "valueOptions": ["-n|--count"]
                }
              }
            }
            """;
        var shape = CommandClassifier.FromJson(json).Describe(["frob", "--quiet", "--all", "--count", "3", "-o", "out", "x"]);

        Assert.Equal(["--quiet", "--all", "--count", "--output"], shape.Options.Select(o => o.Name));
        Assert.Equal(["-q", "--quiet"], shape.Options[0].Spellings);
        Assert.Equal(["-n", "--count"], shape.Options[2].Spellings);
        Assert.Equal("3", shape.Options[2].Value);
        Assert.Equal(["x"], shape.Operands);
    }

    [Fact]
    public void Shared_options_belong_to_the_program_as_well_as_its_subcommands()
    {
        const string json = """
            {
              "programs": {
                "tool": {
                  "risk": "ReadOnly", "reason": "tool",
                  "sharedOptions": { "--log": { "takes": 1, "path": "Write" } },
                  "subcommands": { "show": { "risk": "ReadOnly", "reason": "shows" } }
                }
              }
            }
            """;
        var classifier = CommandClassifier.FromJson(json);

        Assert.Contains(new PathAccess("a.log", PathAccessKind.Write), classifier.Classify(["tool", "--log", "a.log", "show"]).Paths);
        Assert.Contains(new PathAccess("b.log", PathAccessKind.Write), classifier.Classify(["tool", "show", "--log=b.log"]).Paths);
        Assert.Equal(["show"], classifier.Describe(["tool", "--log", "a.log", "show"]).Subcommands);
    }
}
