using System.Text.Json;
using Orchestrator.Core.Calls;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Server.Mcp;

/// <summary>
/// The tools the MCP server offers, each one call of an Orchestrator tool judged by that tool's rules (<c>bash</c> by
/// <c>Bash(…)</c>, <c>read_file</c> by <c>Read(…)</c>, …), with Claude Code's argument names; every tool also takes an
/// optional <c>cwd</c> (absolute; default the workspace), which is where the call runs, not part of its input. And
/// <see cref="StatusTool"/>, which reads (and waits for) a call this agent made — the answer to "pending approval".
/// </summary>
public static class McpGatedTools
{
    public sealed record Gated(string Name, string Tool, string Description, JsonElement InputSchema);

    public const string StatusTool = "call_status";

    private const string Cwd = """ "cwd": {"type": "string", "description": "Absolute directory the call runs in (default: the workspace)"} """;

    public static readonly IReadOnlyList<Gated> All =
    [
        Define("bash", ToolNames.Bash, "Run a shell command in Orchestrator's sandbox, judged by the Bash rules",
            $$"""{"type":"object","properties":{"command":{"type":"string","description":"The command"},"timeout":{"type":"number","description":"Milliseconds"},"description":{"type":"string"},{{Cwd}}},"required":["command"]}"""),
        Define("read_file", ToolNames.Read, "Read a file (cat -n lines), judged by the Read rules",
            $$"""{"type":"object","properties":{"file_path":{"type":"string"},"offset":{"type":"number"},"limit":{"type":"number"},{{Cwd}}},"required":["file_path"]}"""),
        Define("write_file", ToolNames.Write, "Write a whole file, judged by the Edit/Write rules",
            $$"""{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"},{{Cwd}}},"required":["file_path","content"]}"""),
        Define("edit_file", ToolNames.Edit, "Replace a string in a file, judged by the Edit rules",
            $$"""{"type":"object","properties":{"file_path":{"type":"string"},"old_string":{"type":"string"},"new_string":{"type":"string"},"replace_all":{"type":"boolean"},{{Cwd}}},"required":["file_path","old_string","new_string"]}"""),
        Define("glob", ToolNames.Glob, "List files matching a glob pattern, judged by the Read rules",
            $$"""{"type":"object","properties":{"pattern":{"type":"string"},"path":{"type":"string"},{{Cwd}}},"required":["pattern"]}"""),
        Define("grep", ToolNames.Grep, "Search file contents (ripgrep semantics), judged by the Read rules",
            $$"""{"type":"object","properties":{"pattern":{"type":"string"},"path":{"type":"string"},"glob":{"type":"string"},"type":{"type":"string"},"output_mode":{"type":"string","enum":["content","files_with_matches","count"]},"-i":{"type":"boolean"},"-n":{"type":"boolean"},"-A":{"type":"number"},"-B":{"type":"number"},"-C":{"type":"number"},"multiline":{"type":"boolean"},"head_limit":{"type":"number"},{{Cwd}}},"required":["pattern"]}"""),
        Define("web_fetch", ToolNames.WebFetch, "Fetch a URL's text, judged by the WebFetch rules and the network policy",
            $$"""{"type":"object","properties":{"url":{"type":"string"},"prompt":{"type":"string"},{{Cwd}}},"required":["url"]}"""),
    ];

    public static readonly Gated Status = Define(StatusTool, "",
        "The state of a call made through this server (e.g. one pending approval): waits for it to finish within the request, then answers as the call's own tool would",
        """{"type":"object","properties":{"call_id":{"type":"string","description":"The call id a pending answer named"}},"required":["call_id"]}""");

    public static Gated? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    public static IList<Tool> Listed() =>
        [.. All.Append(Status).Select(t => new Tool { Name = t.Name, Description = t.Description, InputSchema = t.InputSchema })];

    private static Gated Define(string name, string tool, string description, string schema) =>
        new(name, tool, description, JsonDocument.Parse(schema).RootElement.Clone());
}
