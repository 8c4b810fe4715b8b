using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Policy.Rules;

/// <summary>One allow/ask/deny rule, with the text it was written as and where it came from.</summary>
public sealed record PermissionRule(RuleDecision Decision, string Text, string Tool, RuleSpecifier Specifier, RuleOrigin Origin)
{
    /// <summary>Whether the rule's tool part covers <paramref name="toolName"/>.</summary>
    public bool AppliesToTool(string toolName)
    {
        if (Tool == toolName || KnownTools.SameTool(Tool, toolName)) return true;
        return Tool switch
        {
            ToolNames.Read => ToolNames.IsFileRead(toolName),
            ToolNames.Edit or ToolNames.Write => ToolNames.IsFileEdit(toolName),
            _ when Tool.StartsWith("mcp__", StringComparison.Ordinal) => McpCovers(Tool, toolName),
            _ => false,
        };
    }

    private static bool McpCovers(string ruleTool, string toolName)
    {
        // mcp__server and mcp__server__* cover every tool of that server.
        var server = ruleTool.EndsWith("__*", StringComparison.Ordinal) ? ruleTool[..^3] : ruleTool;
        if (server.IndexOf("__", 5, StringComparison.Ordinal) >= 0 && !ruleTool.EndsWith("__*", StringComparison.Ordinal))
            return false;
        return toolName.StartsWith(server + "__", StringComparison.Ordinal);
    }

    public override string ToString() => $"{Decision.ToString().ToLowerInvariant()} {Text} ({Origin})";
}
