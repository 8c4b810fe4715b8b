using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// The gateway's one client connection to an upstream MCP server, opened on first use (a stdio upstream's process
/// started then) and opened again after it failed — a dead process or a broken connection is an
/// <see cref="McpUpstreamException"/> naming the upstream and its last words on stderr, never a hang: connecting and
/// listing are bounded by <see cref="ListTimeout"/>, a call by its caller's cancellation (the tool timeout).
/// </summary>
public sealed class McpUpstream(McpUpstreamSpec spec) : IAsyncDisposable
{
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(15);
    private const int StderrLinesKept = 5;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<string> _stderr = new();
    private McpClient? _client;

    public McpUpstreamSpec Spec => spec;

    /// <summary>The upstream said its tools changed (<c>notifications/tools/list_changed</c>).</summary>
    public event Action? ToolsChanged;

    /// <summary>Every tool the upstream lists (all pages).</summary>
    public async Task<IReadOnlyList<Tool>> ListAsync(CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(ListTimeout);
        try
        {
            var client = await ClientAsync(bounded.Token);
            var tools = new List<Tool>();
            string? cursor = null;
            do
            {
                var page = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, bounded.Token);
                tools.AddRange(page.Tools);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            return tools;
        }
        catch (Exception e) when (e is not McpUpstreamException && !ct.IsCancellationRequested)
        {
            await ResetAsync();
            throw Failed(e is OperationCanceledException or TimeoutException ? $"did not list its tools within {ListTimeout.TotalSeconds:0} s" : $"failed to list its tools: {e.Message}", e);
        }
    }

    /// <summary>
    /// Forwards one call. Not reaching the upstream at all is an <see cref="McpUpstreamNotReachedException"/> (nothing
    /// was asked of it); a failure after the request left is an <see cref="McpUpstreamException"/> — whether the upstream
    /// acted is then unknown.
    /// </summary>
    public async Task<CallToolResult> CallAsync(string tool, IDictionary<string, JsonElement> arguments, CancellationToken ct)
    {
        McpClient client;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(ListTimeout);
            client = await ClientAsync(bounded.Token);
        }
        catch (Exception e) when (e is not McpUpstreamException)
        {
            await ResetAsync();
            throw new McpUpstreamNotReachedException(Failed($"could not be reached: {e.Message}", e));
        }
        try
        {
            return await client.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = arguments }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ResetAsync();
            throw Failed($"failed during the call to {tool}: {e.Message}; whether it acted is unknown", e);
        }
    }

    private async Task<McpClient> ClientAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_client is { } open) return open;
            IClientTransport transport = spec.Url is { } url
                ? new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, Name = spec.Name })
                : new StdioClientTransport(new StdioClientTransportOptions
                {
                    Command = spec.Command!, Arguments = [.. spec.Arguments], Name = spec.Name, ShutdownTimeout = TimeSpan.FromSeconds(2),
                    StandardErrorLines = Heard,
                });
            _client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "orchestrator-gateway", Version = typeof(McpUpstream).Assembly.GetName().Version?.ToString() ?? "0" },
                // Our own bound (ListTimeout, on the token) must be the one that ends a silent upstream's start, so the
                // error says so the same way every time; the SDK's timer only backs it up.
                InitializationTimeout = ListTimeout + TimeSpan.FromSeconds(5),
                Handlers = new McpClientHandlers
                {
                    NotificationHandlers =
                    [
                        new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                        {
                            ToolsChanged?.Invoke();
                            return ValueTask.CompletedTask;
                        }),
                    ],
                },
            }, cancellationToken: ct);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Heard(string line)
    {
        Console.Error.WriteLine($"orchestrator: upstream {spec.Name}: {line}");
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLinesKept) _stderr.Dequeue();
        }
    }

    private McpUpstreamException Failed(string what, Exception inner)
    {
        string said;
        lock (_stderr) said = _stderr.Count == 0 ? "" : $" (its stderr: {string.Join(" | ", _stderr)})";
        return new McpUpstreamException($"upstream MCP server '{spec.Name}' ({spec}) {what}{said}", inner);
    }

    private async Task ResetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_client is { } client)
            {
                _client = null;
                try { await client.DisposeAsync(); }
                catch (Exception) { /* a broken connection may fail to close; it is dropped either way */ }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync();
}

/// <summary>The upstream was never asked: connecting to it failed, so nothing it does could have happened.</summary>
public sealed class McpUpstreamNotReachedException(McpUpstreamException reason) : Exception(reason.Message, reason);
