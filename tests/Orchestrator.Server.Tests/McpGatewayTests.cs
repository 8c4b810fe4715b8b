using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tools;
using Orchestrator.Server.Mcp.Gateway;

namespace Orchestrator.Server.Tests;

public sealed class McpGatewayTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcp-gateway-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_upstream_is_a_name_and_a_command_split_into_words_as_a_shell_would_without_expanding()
    {
        var (spec, problem) = McpUpstreamSpec.Parse("""fs=npx -y "@scope/server files" '/tmp/a b' $HOME""");

        Assert.Null(problem);
        Assert.Equal("fs", spec!.Name);
        Assert.Equal("npx", spec.Command);
        Assert.Equal(["-y", "@scope/server files", "/tmp/a b", "$HOME"], spec.Arguments);
        Assert.Null(spec.Url);
    }

    [Fact]
    public void An_upstream_url_is_an_http_upstream() =>
        Assert.Equal(new Uri("https://mcp.example.com/mcp"), McpUpstreamSpec.Parse("remote=https://mcp.example.com/mcp").Spec!.Url);

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("=cmd")]
    [InlineData("a__b=cmd")]
    [InlineData("x=")]
    [InlineData("x=cmd 'unclosed")]
    public void A_malformed_upstream_is_refused_with_a_reason(string text)
    {
        var (spec, problem) = McpUpstreamSpec.Parse(text);

        Assert.Null(spec);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void A_definition_is_pinned_when_first_seen_and_flagged_when_it_changes_until_accepted_across_restarts()
    {
        var file = Path.Combine(_root, "mcp-definitions.json");
        var pins = new McpDefinitionPins(file);

        Assert.Null(pins.ChangedFrom("mcp__s__t", "one"));
        Assert.Null(pins.ChangedFrom("mcp__s__t", "one"));
        Assert.Equal("one", pins.ChangedFrom("mcp__s__t", "two"));
        var restarted = new McpDefinitionPins(file);
        Assert.Equal("one", restarted.ChangedFrom("mcp__s__t", "two"));
        restarted.Accept("mcp__s__t", "two");
        Assert.Null(new McpDefinitionPins(file).ChangedFrom("mcp__s__t", "two"));
    }

    [Fact]
    public void An_unreadable_pin_file_fails_closed_every_tool_counts_as_changed()
    {
        var file = Path.Combine(_root, "mcp-definitions.json");
        File.WriteAllText(file, "{ not json");
        var pins = new McpDefinitionPins(file);

        Assert.Equal(McpDefinitionPins.Unknown, pins.ChangedFrom("mcp__s__t", "one"));
        Assert.True(File.Exists(file + ".unreadable"));
    }

    [Fact]
    public void Recorded_input_goes_back_as_arguments_typed_by_the_schema_without_the_reserved_keys()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"id":{"type":"string"},"n":{"type":"number"},"tags":{"type":"array"}}}""").RootElement;
        var input = ImmutableDictionary<string, string>.Empty
            .Add("id", "42").Add("n", "42").Add("tags", """["a","b"]""").Add("free", "plain text")
            .Add(McpTools.DefinitionKey, "d").Add(McpTools.ChangedFromKey, "c");

        var arguments = McpUpstreamExecutor.Arguments(input, schema);

        Assert.Equal(["free", "id", "n", "tags"], arguments.Keys.Order());
        Assert.Equal(JsonValueKind.String, arguments["id"].ValueKind);
        Assert.Equal(42, arguments["n"].GetInt32());
        Assert.Equal(2, arguments["tags"].GetArrayLength());
        Assert.Equal("plain text", arguments["free"].GetString());
    }

    [Fact]
    public void An_upstream_executor_runs_every_tool_of_its_server_and_no_other()
    {
        var gateway = new McpGateway([McpUpstreamSpec.Parse("github=true").Spec!], new McpDefinitionPins(null));
        var tools = ToolExecutors.Standard.With(gateway.Executors);

        Assert.Equal("mcp__github", tools.For("mcp__github__create_issue")?.Tool);
        Assert.Null(tools.For("mcp__gitlab__create_issue"));
        Assert.Equal(ToolNames.Read, tools.For(ToolNames.Read)?.Tool);
    }
}
