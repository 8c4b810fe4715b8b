using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// The MCP gateway: the upstream servers given with <c>--upstream</c>, their tools listed as <c>mcp__NAME__TOOL</c>
/// with each definition's digest checked against <see cref="McpDefinitionPins"/>, and one executor per upstream
/// (<see cref="McpUpstreamExecutor"/>) behind the pipeline's executor seam — so a gateway <c>tools/call</c> is one call
/// through the pipeline like any other, judged by <c>mcp__…</c> rules, hooks and approvals.
/// </summary>
public sealed class McpGateway : IAsyncDisposable
{
    /// <summary>A tool as listed now: its gateway name, upstream, definition and definition digest.</summary>
    public sealed record Listed(string Name, McpUpstream Upstream, Tool Definition, string Digest)
    {
        public string UpstreamTool => Definition.Name;
    }

    private readonly IReadOnlyList<McpUpstream> _upstreams;
    private readonly ConcurrentDictionary<string, Listed> _seen = new(StringComparer.Ordinal);

    public McpGateway(IReadOnlyList<McpUpstreamSpec> upstreams, McpDefinitionPins pins)
    {
        _upstreams = [.. upstreams.Select(u => new McpUpstream(u))];
        foreach (var upstream in _upstreams) upstream.ToolsChanged += () => Forget(upstream);
        Pins = pins;
    }

    public static McpGateway None { get; } = new([], new McpDefinitionPins(null));

    public McpDefinitionPins Pins { get; }

    public bool IsEmpty => _upstreams.Count == 0;

    public IReadOnlyList<IToolExecutor> Executors => [.. _upstreams.Select(u => new McpUpstreamExecutor(this, u))];

    /// <summary>
    /// Every upstream's tools, listed concurrently. An upstream that cannot list is left out of the answer (its
    /// failure in <c>Problems</c>), so one broken upstream never hides the others' tools or hangs the listing.
    /// </summary>
    public async Task<(IReadOnlyList<Listed> Tools, IReadOnlyList<string> Problems)> ListAsync(CancellationToken ct)
    {
        var listings = await Task.WhenAll(_upstreams.Select(async u =>
        {
            try { return (Tools: await ListAsync(u, ct), Problem: (string?)null); }
            catch (McpUpstreamException e) { return (Tools: (IReadOnlyList<Listed>)[], Problem: e.Message); }
        }));
        return ([.. listings.SelectMany(l => l.Tools)], [.. listings.Select(l => l.Problem).OfType<string>()]);
    }

    /// <summary>The tool named <paramref name="name"/> as last listed, listing its upstream first when it was not seen yet; null: no such tool.</summary>
    public async Task<Listed?> FindAsync(string name, CancellationToken ct)
    {
        if (_seen.TryGetValue(name, out var listed)) return listed;
        if (McpTools.Split(name) is not var (server, _) || _upstreams.FirstOrDefault(u => u.Spec.Name == server) is not { } upstream) return null;
        return (await ListAsync(upstream, ct)).FirstOrDefault(t => t.Name == name);
    }

    /// <summary>
    /// An upstream's tools changed: what was listed of it is forgotten, so its next call lists it again and a changed
    /// definition is compared with its pin before anything is forwarded (a call decided on the old one fails unforwarded).
    /// </summary>
    private void Forget(McpUpstream upstream)
    {
        foreach (var stale in _seen.Values.Where(s => s.Upstream == upstream)) _seen.TryRemove(stale.Name, out _);
    }

    /// <summary>The digest pinned for the tool when its current definition differs (see <see cref="McpDefinitionPins"/>).</summary>
    public string? ChangedFrom(Listed tool) => Pins.ChangedFrom(tool.Name, tool.Digest);

    private async Task<IReadOnlyList<Listed>> ListAsync(McpUpstream upstream, CancellationToken ct)
    {
        var tools = (await upstream.ListAsync(ct))
            .Select(t => new Listed(McpTools.Name(upstream.Spec.Name, t.Name), upstream, t, McpTools.DefinitionDigest(t.Description, t.InputSchema)))
            .ToList();
        foreach (var gone in _seen.Values.Where(s => s.Upstream == upstream && tools.All(t => t.Name != s.Name))) _seen.TryRemove(gone.Name, out _);
        foreach (var tool in tools) _seen[tool.Name] = tool;
        return tools;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in _upstreams) await upstream.DisposeAsync();
    }
}
