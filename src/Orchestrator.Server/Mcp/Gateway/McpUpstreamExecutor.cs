using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>
/// Runs the decided calls of one upstream's tools (<c>mcp__NAME__*</c>) by forwarding them. Before forwarding it checks
/// that the tool's definition is still the one the call was decided on (<see cref="McpTools.DefinitionKey"/>) and that a
/// changed definition was asked about (<see cref="McpTools.ChangedFromKey"/>) — then pins it as approved. The
/// upstream's answer is the call's output (recorded bounded, head and tail, with its digest, like any output); an
/// answer flagged <c>isError</c> fails the call with it. Forwarded calls may act on the world: a timeout or a broken
/// connection after the request left ends the call as interrupted, never as "nothing changed".
/// </summary>
public sealed class McpUpstreamExecutor(McpGateway gateway, McpUpstream upstream) : IToolExecutor
{
    public string Tool => McpTools.Prefix + upstream.Spec.Name;

    public bool HasSideEffects => true;

    public string? Validate(ToolCall call, ToolLimits limits)
    {
        if (McpTools.Split(call.ToolName) is not var (server, _) || server != upstream.Spec.Name) return $"not a tool of upstream {upstream.Spec.Name}";
        return call.InputValue(McpTools.DefinitionKey) is null
            ? "the call names no tool definition (gateway tools are called through the MCP server, /mcp or orchestrator mcp)"
            : null;
    }

    public async Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        var call = run.Call;
        McpGateway.Listed? tool;
        try { tool = await gateway.FindAsync(call.ToolName, cancellation); }
        catch (McpUpstreamException e) { return ToolOutcome.Failed(e.Message); }
        if (tool is null) return ToolOutcome.Failed($"upstream {upstream.Spec.Name} no longer lists {call.ToolName}");
        var decidedOn = call.InputValue(McpTools.DefinitionKey);
        var record = new ToolRecord(call.ToolName, upstream.Spec.Name, Digest: tool.Digest,
            Details: ImmutableSortedDictionary<string, string>.Empty.Add("upstream", upstream.Spec.ToString()));
        if (decidedOn != tool.Digest)
            return ToolOutcome.Failed($"the definition of {call.ToolName} changed after the call was decided; call it again to have it judged", record);
        if (gateway.ChangedFrom(tool) is not null)
        {
            if (call.InputValue(McpTools.ChangedFromKey) is null)
                return ToolOutcome.Failed($"the definition of {call.ToolName} changed and this call was not judged as changed; call it again", record);
            gateway.Pins.Accept(tool.Name, tool.Digest);
        }

        CallToolResult result;
        try
        {
            result = await upstream.CallAsync(tool.UpstreamTool, Arguments(call.Input, tool.Definition.InputSchema), cancellation);
        }
        catch (McpUpstreamNotReachedException e)
        {
            return ToolOutcome.Failed(e.Message, record);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Not an OperationCanceledException: a forwarded call that timed out may have acted, so it is interrupted.
            throw new McpUpstreamException($"upstream MCP server '{upstream.Spec.Name}' did not answer {tool.UpstreamTool} within {run.Limits.Timeout.TotalSeconds:0.#} s; whether it acted is unknown");
        }
        var text = Text(result);
        return result.IsError == true ? ToolOutcome.Failed(text.Length == 0 ? $"{call.ToolName} reported an error" : text, record) : ToolOutcome.Ok(text, record);
    }

    /// <summary>
    /// The call's recorded input back as MCP arguments: the reserved keys dropped, a value the tool's schema declares a
    /// string kept as text, any other value read back as the JSON it was recorded from (text that is not JSON stays text).
    /// </summary>
    public static Dictionary<string, JsonElement> Arguments(ImmutableDictionary<string, string> input, JsonElement schema)
    {
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in input)
        {
            if (McpTools.IsReserved(key)) continue;
            arguments[key] = DeclaredString(schema, key) ? JsonSerializer.SerializeToElement(value) : AsJson(value);
        }
        return arguments;
    }

    private static bool DeclaredString(JsonElement schema, string key) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty(key, out var property) && property.ValueKind == JsonValueKind.Object
        && property.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "string";

    private static JsonElement AsJson(string value)
    {
        try { return JsonDocument.Parse(value).RootElement.Clone(); }
        catch (JsonException) { return JsonSerializer.SerializeToElement(value); }
    }

    /// <summary>The answer as text: text blocks as they are, any other block (or, without blocks, the structured content) as JSON.</summary>
    public static string Text(CallToolResult result)
    {
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(block is TextContentBlock t ? t.Text : JsonSerializer.Serialize(block, McpJsonUtilities.DefaultOptions));
        }
        if (text.Length == 0 && result.StructuredContent is { } structured) text.Append(JsonSerializer.Serialize(structured, McpJsonUtilities.DefaultOptions));
        return text.ToString();
    }
}
