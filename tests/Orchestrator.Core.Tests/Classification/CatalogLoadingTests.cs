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
    public void Malformed_catalog_gives_a_clear_error(string json, string expectedMessagePart)
    {
        var error = Assert.Throws<CommandCatalogException>(() => CommandClassifier.FromJson(json));

        Assert.Contains(expectedMessagePart, error.Message);
        Assert.StartsWith("Invalid command catalog at ", error.Message);
    }
}
