using ModelContextProtocol.Client;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The MCP server negotiates the current protocol revision (2026-07-28, which replaced the <c>initialize</c> handshake
/// with <c>server/discover</c>) and the one before it (2025-11-25, <c>initialize</c>), over stdio (<c>orchestrator mcp</c>)
/// and streamable HTTP (<c>/mcp</c> on <c>serve</c>): a client asking for exactly that revision gets it and lists the tools.
/// </summary>
public sealed class McpProtocolVersionTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public void Dispose() => _setup.Dispose();

    /// <summary>Generous probes: <c>orchestrator mcp</c> answers only once its pipeline has started (seconds on a busy machine).</summary>
    private static McpClientOptions Exactly(string version) =>
        new() { ProtocolVersion = version, InitializationTimeout = TimeSpan.FromSeconds(60), DiscoverProbeTimeout = TimeSpan.FromSeconds(60) };

    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task Over_stdio_the_server_negotiates_the_revision_asked_for(string version)
    {
        _setup.UseTokens = false;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = ServerProcess.Executable,
            Arguments = ["mcp", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile],
            EnvironmentVariables = _setup.CliEnvironment().ToDictionary(e => e.Key, e => (string?)e.Value),
        });
        await using var client = await McpClient.CreateAsync(transport, Exactly(version));

        Assert.Equal(version, client.NegotiatedProtocolVersion);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "bash");
    }

    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task Over_http_the_server_negotiates_the_revision_asked_for(string version)
    {
        await using var server = await ServerProcess.StartAsync(_setup);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url, "/mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {_setup.Tokens[ServerSetup.Agent]}" },
        });
        await using var client = await McpClient.CreateAsync(transport, Exactly(version));

        Assert.Equal(version, client.NegotiatedProtocolVersion);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "bash");
    }
}
