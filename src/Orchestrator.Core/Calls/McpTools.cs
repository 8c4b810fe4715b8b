using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.Calls;

/// <summary>
/// The names and definition facts of MCP tools fronted by the gateway. A tool of upstream <c>github</c> named
/// <c>create_issue</c> is the tool <c>mcp__github__create_issue</c> (judged by rules <c>mcp__github__create_issue</c>,
/// <c>mcp__github</c>, <c>mcp__github__*</c>). Every gateway call carries, beside the tool's own arguments, the digest of
/// the tool's definition when it was called (<see cref="DefinitionKey"/>) and — when that differs from the definition
/// first seen or last approved — the digest it replaced (<see cref="ChangedFromKey"/>): the policy then asks
/// (<see cref="Policy.ReasonClass.ChangedDefinition"/>), and a grant made for one definition never covers another
/// (<see cref="Approval.GrantSubject"/>). Both are recorded with the call, so replay re-decides the same way.
/// </summary>
public static class McpTools
{
    public const string Prefix = "mcp__";
    public const string DefinitionKey = "orchestrator:definition";
    public const string ChangedFromKey = "orchestrator:definition-changed-from";

    public static bool IsMcp(string tool) => tool.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool IsReserved(string key) => key is DefinitionKey or ChangedFromKey;

    /// <summary>The input the agent sent: the reserved keys left out (what hooks see as <c>tool_input</c>).</summary>
    public static IReadOnlyDictionary<string, string> WithoutReserved(IReadOnlyDictionary<string, string> input) =>
        input.Keys.Any(IsReserved) ? input.Where(p => !IsReserved(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : input;

    /// <summary>
    /// A hook's rewrite of <paramref name="original"/>: its own keys, with the reserved keys always those of the original
    /// (a hook neither sees them nor can forge or drop them).
    /// </summary>
    public static System.Collections.Immutable.ImmutableDictionary<string, string> KeepReserved(
        IReadOnlyDictionary<string, string> original, System.Collections.Immutable.ImmutableDictionary<string, string> rewritten) =>
        rewritten.RemoveRange(rewritten.Keys.Where(IsReserved)).AddRange(original.Where(p => IsReserved(p.Key)));

    public static string Name(string server, string tool) => $"{Prefix}{server}__{tool}";

    /// <summary><c>mcp__SERVER__TOOL</c> → (SERVER, TOOL); null when the name is not of that shape.</summary>
    public static (string Server, string Tool)? Split(string name)
    {
        if (!IsMcp(name)) return null;
        var at = name.IndexOf("__", Prefix.Length, StringComparison.Ordinal);
        if (at <= Prefix.Length || at + 2 >= name.Length) return null;
        return (name[Prefix.Length..at], name[(at + 2)..]);
    }

    /// <summary>An upstream name usable in tool names and rules: letters, digits, '-' and '_' without "__".</summary>
    public static string? ServerNameProblem(string name) =>
        name.Length is 0 or > 64 || name.Contains("__", StringComparison.Ordinal) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? $"upstream name '{name}' must be 1-64 letters, digits, '-' or '_' (without \"__\")"
            : null;

    /// <summary>The shape of an upstream as given to <c>--upstream</c> or <c>orchestrator.mcpUpstreams</c>: <c>NAME=…</c> with a valid name and something after it.</summary>
    public static string? UpstreamProblem(string text)
    {
        var equals = text.IndexOf('=');
        return equals <= 0 || text[(equals + 1)..].Trim().Length == 0
            ? $"upstream '{text}' must be NAME=COMMAND [ARGS…] or NAME=https://…"
            : ServerNameProblem(text[..equals].Trim());
    }

    /// <summary>SHA-256 of what an agent is told about a tool: its description and its input schema (canonical JSON text).</summary>
    public static string DefinitionDigest(string? description, JsonElement inputSchema)
    {
        var text = $"{description ?? ""}\n{JsonSerializer.Serialize(inputSchema)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
