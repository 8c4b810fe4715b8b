namespace Orchestrator.Server.Mcp.Gateway;

/// <summary>An upstream MCP server that could not be reached, ended, or did not answer in time; the message says which and why.</summary>
public sealed class McpUpstreamException(string message, Exception? inner = null) : Exception(message, inner);
