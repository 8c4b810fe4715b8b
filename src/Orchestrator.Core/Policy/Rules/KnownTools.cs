namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// Claude Code's tool names, current and retired, as its permission rules and hook matchers spell them, and the legacy
/// names it still reads as today's (<c>Task</c> is <c>Agent</c>, <c>KillShell</c> is <c>TaskStop</c>, …).
/// </summary>
public static class KnownTools
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        // Tools Orchestrator judges with structure.
        "Bash", "Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "Glob", "Grep", "WebFetch", "WebSearch",
        // Claude Code's other built-in tools.
        "Agent", "Artifact", "AskUserQuestion", "CronCreate", "CronDelete", "CronList", "EnterPlanMode", "EnterWorktree",
        "ExitPlanMode", "ExitWorktree", "ListMcpResourcesTool", "LSP", "Monitor", "PowerShell", "ReadMcpResourceTool",
        "SendMessage", "Skill", "SlashCommand", "TaskCreate", "TaskGet", "TaskList", "TaskOutput", "TaskStop",
        "TaskUpdate", "TeamCreate", "TeamDelete", "TodoWrite", "ToolSearch",
        // Retired names still found in settings files.
        "LS", "NotebookRead", "TodoRead",
    };

    private static readonly Dictionary<string, string> LegacyNames = new(StringComparer.Ordinal)
    {
        ["Task"] = "Agent",
        ["KillShell"] = "TaskStop",
        ["KillBash"] = "TaskStop",
        ["BashOutput"] = "TaskOutput",
        ["BashOutputTool"] = "TaskOutput",
        ["AgentOutputTool"] = "TaskOutput",
    };

    public static bool IsKnown(string tool) =>
        Names.Contains(tool) || LegacyNames.ContainsKey(tool) || tool.StartsWith("mcp__", StringComparison.Ordinal);

    /// <summary>Today's name for a legacy tool name; any other name unchanged.</summary>
    public static string Canonical(string tool) => LegacyNames.GetValueOrDefault(tool, tool);

    /// <summary>Whether two names denote the same tool (<c>Task</c> and <c>Agent</c> do).</summary>
    public static bool SameTool(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);

    /// <summary>The known tool spelled like <paramref name="tool"/> but for case or surrounding spaces, for "did you mean" hints.</summary>
    public static string? Suggest(string tool)
    {
        var trimmed = tool.Trim();
        if (trimmed.Length == 0) return null;
        if (Names.Contains(trimmed) || LegacyNames.ContainsKey(trimmed)) return trimmed == tool ? null : trimmed;
        return Names.Concat(LegacyNames.Keys).FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
