using System.Text;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Policy;

/// <summary><c>orchestrator.mcpUpstreams</c>: honoured only beyond the agents' reach, an error in a workspace's own files.</summary>
public class McpUpstreamSettingTests
{
    private static readonly RuleContext Context = new("/proj/.orchestrator", "/proj", "/home/u");

    private const string Json = """{ "permissions": { "deny": ["Bash(rm:*)"] }, "orchestrator": { "mcpUpstreams": ["github=npx -y @mcp/server-github", "docs=https://docs.example/mcp"] } }""";

    private static LayerSettings Read(string json, SettingsLayer layer) =>
        SettingsFileReader.Read(Encoding.UTF8.GetBytes(json), "s.json", layer, Context);

    [Theory]
    [InlineData(SettingsLayer.Managed)]
    [InlineData(SettingsLayer.CommandLine)]
    [InlineData(SettingsLayer.User)]
    public void Upstreams_are_read_from_layers_beyond_the_agents_reach(SettingsLayer layer)
    {
        var s = Read(Json, layer);

        Assert.Empty(s.Errors);
        Assert.Equal(["github=npx -y @mcp/server-github", "docs=https://docs.example/mcp"], s.McpUpstreams.Select(u => u.Value));
        Assert.Equal(layer, s.McpUpstreams[0].Origin.Layer);
    }

    [Theory]
    [InlineData(SettingsLayer.Project)]
    [InlineData(SettingsLayer.ProjectLocal)]
    public void Upstreams_in_a_workspaces_own_file_are_a_policy_error_and_none_is_taken(SettingsLayer layer)
    {
        var s = Read(Json, layer);

        var error = Assert.Single(s.Errors);
        Assert.Contains("'mcpUpstreams' may be set only in managed, command-line (--settings) or user settings", error.Message);
        Assert.Equal(1, error.Location.Line);
        Assert.Empty(s.McpUpstreams);
    }

    [Theory]
    [InlineData("""["github"]""", "must be NAME=COMMAND")]
    [InlineData("""["=npx server"]""", "must be NAME=COMMAND")]
    [InlineData("""["git hub=npx server"]""", "upstream name 'git hub'")]
    [InlineData("""["a__b=npx server"]""", "upstream name 'a__b'")]
    [InlineData("""["github= "]""", "must be NAME=COMMAND")]
    [InlineData("""[42]""", "expected a non-empty string")]
    [InlineData("\"github=npx\"", "expected an array of strings")]
    public void A_malformed_upstream_is_an_error_at_its_place(string value, string problem)
    {
        var s = Read($$"""{ "orchestrator": { "mcpUpstreams": {{value}} } }""", SettingsLayer.User);

        Assert.Contains(s.Errors, e => e.Message.Contains(problem));
    }
}
