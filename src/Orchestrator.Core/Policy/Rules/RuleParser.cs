using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Policy.Rules;

/// <summary>Parses rule text such as <c>Bash(npm run test:*)</c>, <c>Read(./.env)</c> or <c>mcp__github__create_issue</c>.</summary>
public static class RuleParser
{
    public const int MaxRuleLength = 4096;

    /// <summary>A parsed rule, or an error with the 0-based offset in the rule text where it was found.</summary>
    public sealed record Result(PermissionRule? Rule, string? Error, int ErrorOffset);

    public static Result Parse(string text, RuleDecision decision, RuleOrigin origin, RuleContext context)
    {
        if (string.IsNullOrWhiteSpace(text)) return Fail("empty rule", 0);
        if (text.Length > MaxRuleLength) return Fail($"rule longer than {MaxRuleLength} characters", MaxRuleLength);
        var nul = text.IndexOf('\0');
        if (nul >= 0) return Fail("rule contains a NUL character", nul);

        var trimmed = text.Trim();
        var lead = text.IndexOf(trimmed[0]);
        var open = trimmed.IndexOf('(');
        var tool = open < 0 ? trimmed : trimmed[..open];
        var nameError = ValidateToolName(tool);
        if (nameError is not null) return Fail(nameError, lead);

        if (open < 0) return Ok(new PermissionRule(decision, trimmed, tool, AnySubject.Instance, origin));

        if (trimmed[^1] != ')') return Fail("rule specifier is missing its closing ')'", lead + trimmed.Length);
        var spec = trimmed[(open + 1)..^1];
        var specOffset = lead + open + 1;
        if (string.IsNullOrWhiteSpace(spec)) return Fail($"empty specifier in '{trimmed}'; write '{tool}' for all calls", specOffset);
        if (tool.StartsWith("mcp__", StringComparison.Ordinal))
            return Fail("MCP rules take no specifier: write mcp__server or mcp__server__tool", specOffset);

        RuleSpecifier specifier;
        switch (tool)
        {
            case ToolNames.Bash:
                specifier = spec.Trim() is "*" or ":*" ? AnySubject.Instance : new BashSubject(BashCommandPattern.Parse(spec));
                break;
            case ToolNames.Read or ToolNames.Edit or ToolNames.Write or ToolNames.MultiEdit or ToolNames.NotebookEdit
                or ToolNames.Glob or ToolNames.Grep:
                if (spec.Trim() == "*" || spec.Trim() == "**") { specifier = AnySubject.Instance; break; }
                var pattern = PathPattern.Parse(spec.Trim(), new PathPatternBase(context.SettingsDirectory, context.ProjectDirectory, context.HomeDirectory));
                if (pattern.Error is not null) return Fail($"invalid path pattern '{spec}': {pattern.Error}", specOffset);
                specifier = new PathSubject(pattern.Pattern!, spec.Trim());
                break;
            case ToolNames.WebFetch:
                const string prefix = "domain:";
                if (!spec.StartsWith(prefix, StringComparison.Ordinal))
                    return Fail("WebFetch rules take 'domain:HOST', e.g. WebFetch(domain:example.com)", specOffset);
                var domain = spec[prefix.Length..].Trim();
                if (!IsValidDomain(domain)) return Fail($"invalid domain '{domain}'", specOffset + prefix.Length);
                specifier = new DomainSubject(domain);
                break;
            default:
                specifier = spec.Trim() == "*" ? AnySubject.Instance : new GenericSubject(spec);
                break;
        }
        return Ok(new PermissionRule(decision, trimmed, tool, specifier, origin));
    }

    public static bool IsKnownTool(string tool) =>
        tool is ToolNames.Bash or ToolNames.Read or ToolNames.Edit or ToolNames.Write or ToolNames.MultiEdit
            or ToolNames.NotebookEdit or ToolNames.Glob or ToolNames.Grep or ToolNames.WebFetch or ToolNames.WebSearch
            or "Task" or "TodoWrite" or "BashOutput" or "KillShell"
        || tool.StartsWith("mcp__", StringComparison.Ordinal);

    private static string? ValidateToolName(string tool)
    {
        if (tool.Length == 0) return "rule has no tool name";
        if (!char.IsLetter(tool[0])) return $"tool name '{tool}' must start with a letter";
        foreach (var c in tool)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '*'))
                return $"tool name '{tool}' has an invalid character '{c}'";
        if (tool.Contains('*') && !(tool.StartsWith("mcp__", StringComparison.Ordinal) && tool.EndsWith("__*", StringComparison.Ordinal)))
            return $"wildcards in tool names are only allowed as mcp__server__*";
        return null;
    }

    private static bool IsValidDomain(string domain)
    {
        if (domain.Length is 0 or > 253) return false;
        var body = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        if (body.Length == 0) return false;
        foreach (var label in body.Split('.'))
        {
            if (label.Length is 0 or > 63) return false;
            foreach (var c in label)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }

    private static Result Ok(PermissionRule rule) => new(rule, null, 0);
    private static Result Fail(string error, int offset) => new(null, error, offset);
}
