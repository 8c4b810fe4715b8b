using Orchestrator.Core.Policy;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// The gateway's upstreams: those given with <c>--upstream</c>, then <c>orchestrator.mcpUpstreams</c> of the settings
/// layers beyond the agents' reach (managed, <c>--settings</c>, user; a workspace file's is a policy error and never
/// read here). Read once at start. A name already taken is skipped: the command line wins, then the higher layer.
/// </summary>
public static class McpUpstreamSettings
{
    public static (IReadOnlyList<McpUpstreamSpec> Specs, string? Problem) Merge(IReadOnlyList<McpUpstreamSpec> given, PolicyLoadOptions policy)
    {
        var specs = new List<McpUpstreamSpec>(given);
        foreach (var layer in PolicyLoader.ReadLayers(policy).Where(l => ((SettingsLayer?)l.Layer).IsBeyondTheAgentsReach()))
            foreach (var entry in layer.McpUpstreams)
            {
                var (spec, problem) = McpUpstreamSpec.Parse(entry.Value);
                if (problem is not null) return ([], $"{entry.Origin.Location}: {problem}");
                if (specs.All(s => s.Name != spec!.Name)) specs.Add(spec!);
            }
        return (specs, null);
    }
}
