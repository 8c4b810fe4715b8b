using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Calls;

public sealed class McpToolsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcp-tools-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("mcp__github__create_issue", "github", "create_issue")]
    [InlineData("mcp__everything__get-sum", "everything", "get-sum")]
    [InlineData("mcp__a__b__c", "a", "b__c")]
    public void A_gateway_name_splits_into_its_server_and_tool(string name, string server, string tool)
    {
        Assert.Equal((server, tool), McpTools.Split(name));
        Assert.Equal(name, McpTools.Name(server, tool));
    }

    [Theory]
    [InlineData("Bash")]
    [InlineData("mcp__github")]
    [InlineData("mcp____x")]
    [InlineData("mcp__github__")]
    public void A_name_without_a_server_and_a_tool_does_not_split(string name) => Assert.Null(McpTools.Split(name));

    [Theory]
    [InlineData("github", true)]
    [InlineData("my-server_2", true)]
    [InlineData("a__b", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    public void An_upstream_name_is_letters_digits_dash_and_underscore_without_a_double_underscore(string name, bool valid) =>
        Assert.Equal(valid, McpTools.ServerNameProblem(name) is null);

    [Fact]
    public void The_definition_digest_changes_with_the_description_or_the_schema()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"number"}}}""").RootElement;
        var other = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        var digest = McpTools.DefinitionDigest("Adds", schema);

        Assert.Equal(digest, McpTools.DefinitionDigest("Adds", schema.Clone()));
        Assert.NotEqual(digest, McpTools.DefinitionDigest("Adds and exfiltrates", schema));
        Assert.NotEqual(digest, McpTools.DefinitionDigest("Adds", other));
    }

    private static ToolCall Gateway(string? changedFrom, string digest = "new-digest")
    {
        var input = ImmutableDictionary<string, string>.Empty.Add("title", "bug").Add(McpTools.DefinitionKey, digest);
        if (changedFrom is not null) input = input.Add(McpTools.ChangedFromKey, changedFrom);
        return new ToolCall(new CallId("c"), "mcp__github__create_issue", input, "/w", new AgentId("a"), new SessionId("s"));
    }

    [Fact]
    public void A_grant_for_one_definition_of_a_gateway_tool_never_covers_another_and_always_is_the_bare_rule()
    {
        var before = GrantSubject.From(Gateway(null, "old-digest"));
        var after = GrantSubject.From(Gateway("old-digest"));

        Assert.NotEqual(before, after);
        Assert.Equal("new-digest", after.Subject);
        Assert.Equal("mcp__github__create_issue", after.RuleText);
    }

    private PolicyEvaluator Evaluator(params string[] allow) =>
        new(PolicyLoader.Load(new PolicyLoadOptions(_root)
        {
            HomeDirectory = _root, ManagedSettingsPath = null, UserSettingsPath = null, AllowRules = allow,
        }));

    [Fact]
    public void A_changed_definition_asks_although_an_allow_rule_covers_the_tool()
    {
        var evaluator = Evaluator("mcp__github");

        Assert.Equal(Decision.Allow, evaluator.Evaluate(Gateway(null), false).Decision);
        var changed = evaluator.Evaluate(Gateway("old-digest"), false);
        Assert.Equal(Decision.Ask, changed.Decision);
        Assert.Equal(ReasonClass.ChangedDefinition, changed.ReasonClass);
        Assert.Contains("changed since it was first seen", changed.Reason);
    }

    [Fact]
    public void A_deny_rule_still_denies_a_changed_definition()
    {
        var evaluator = new PolicyEvaluator(PolicyLoader.Load(new PolicyLoadOptions(_root)
        {
            HomeDirectory = _root, ManagedSettingsPath = null, UserSettingsPath = null, DenyRules = ["mcp__github__create_issue"],
        }));

        Assert.Equal(Decision.Deny, evaluator.Evaluate(Gateway("old-digest"), false).Decision);
    }
}
