using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// Parses rule text such as <c>Bash(npm run test:*)</c>, <c>Read(./.env)</c> or <c>mcp__github__create_issue</c> with
/// Claude Code's grammar (<see cref="RuleSyntax"/>). A string that grammar reads as a rule that can never match
/// (<c>Bash(rm -r /)*</c>, <c>Bash (ls)</c>, <c>Bash*</c>) is <see cref="RuleProblem.NeverMatches"/>; a string Claude Code
/// rejects or whose subject cannot be read (unbalanced parentheses, empty <c>()</c>, a misplaced <c>:*</c>, a bad path or
/// domain) is <see cref="RuleProblem.Malformed"/>. Callers decide what each costs (config/README.md, "Rules that do not parse").
/// </summary>
public static class RuleParser
{
    public const int MaxRuleLength = 4096;

    /// <summary>A parsed rule, or a problem with the 0-based offset in the rule text where it was found.</summary>
    public sealed record Result(PermissionRule? Rule, string? Error, int ErrorOffset, RuleProblem Problem = RuleProblem.None);

    public static Result Parse(string text, RuleDecision decision, RuleOrigin origin, RuleContext context)
    {
        if (string.IsNullOrWhiteSpace(text)) return Malformed("empty rule", 0);
        if (text.Length > MaxRuleLength) return Malformed($"rule longer than {MaxRuleLength} characters", MaxRuleLength);
        var nul = text.IndexOf('\0');
        if (nul >= 0) return Malformed("rule contains a NUL character", nul);

        var trimmed = text.Trim();
        var lead = text.IndexOf(trimmed[0]);
        var parts = RuleSyntax.Split(trimmed);
        if (parts.OpenCount > parts.CloseCount)
            return Malformed("rule specifier is missing its closing ')'", lead + trimmed.Length);
        if (parts.CloseCount > parts.OpenCount)
            return Malformed("rule has a ')' that closes no '('", lead + RuleSyntax.FirstUnmatchedClose(trimmed));
        if (parts.Open == 0) return Malformed("rule has no tool name before '('", lead);
        if (parts.Content is null && parts.Open >= 0)
            return Malformed("rule has a ')' before its '('", lead + parts.Close);
        if (parts.Close >= 0 && parts.Close != trimmed.Length - 1)
        {
            var tail = trimmed[(parts.Close + 1)..];
            return NeverMatches(
                $"the text after the closing ')' (\"{tail}\") makes Claude Code read the whole rule as a tool name, so it never matches; " +
                $"did you mean \"{parts.Tool}({parts.Content}{tail.TrimEnd()})\"?", lead + parts.Close + 1);
        }

        var tool = parts.Tool;
        if (ToolNameProblem(tool) is { } nameProblem) return NeverMatches(nameProblem, lead);
        if (parts.Content is null) return Ok(new PermissionRule(decision, trimmed, tool, AnySubject.Instance, origin));

        var specOffset = lead + parts.Open + 1;
        if (parts.Content.Trim().Length == 0)
            return Malformed($"empty parentheses in '{trimmed}'; write '{tool}' for every call or '{tool}(pattern)'", specOffset);
        if (tool.StartsWith("mcp__", StringComparison.Ordinal))
            return Malformed("MCP rules take no specifier: write mcp__server, mcp__server__* or mcp__server__tool", specOffset);

        var spec = RuleSyntax.Unescape(parts.Content).Trim();
        var specifier = Specifier(tool, spec, decision, context, specOffset, out var problem);
        return problem ?? Ok(new PermissionRule(decision, trimmed, tool, specifier!, origin));
    }

    /// <summary>Whether the rule names one of Claude Code's tools (current or legacy) or an MCP tool.</summary>
    public static bool IsKnownTool(string tool) => KnownTools.IsKnown(tool);

    private static RuleSpecifier? Specifier(string tool, string spec, RuleDecision decision, RuleContext context, int offset, out Result? problem)
    {
        problem = null;
        // Tool(*) is the whole tool, as in Claude Code.
        if (spec == "*") return AnySubject.Instance;
        switch (tool)
        {
            case ToolNames.Bash:
                problem = ShellPrefixProblem(spec, offset);
                return problem is null ? new BashSubject(BashCommandPattern.Parse(spec)) : null;
            case "PowerShell":
                problem = ShellPrefixProblem(spec, offset);
                return problem is null ? new GenericSubject(PowerShellPattern(spec, decision)) : null;
            case ToolNames.Read or ToolNames.Edit or ToolNames.Write or ToolNames.MultiEdit or ToolNames.NotebookEdit
                or ToolNames.Glob or ToolNames.Grep or "NotebookRead":
                if (spec.Contains(":*", StringComparison.Ordinal))
                {
                    problem = Malformed("':*' is only for Bash prefix rules; use a glob such as src/** for files", offset + spec.IndexOf(":*", StringComparison.Ordinal));
                    return null;
                }
                if (spec == "**") return AnySubject.Instance;
                var pattern = PathPattern.Parse(spec, new PathPatternBase(context.SettingsDirectory, context.ProjectDirectory, context.HomeDirectory));
                if (pattern.Error is null) return new PathSubject(pattern.Pattern!, spec);
                problem = Malformed($"invalid path pattern '{spec}': {pattern.Error}", offset);
                return null;
            case ToolNames.WebFetch:
                const string prefix = "domain:";
                if (!spec.StartsWith(prefix, StringComparison.Ordinal))
                {
                    problem = Malformed("WebFetch rules take 'domain:HOST', e.g. WebFetch(domain:example.com)", offset);
                    return null;
                }
                var domain = spec[prefix.Length..].Trim();
                if (IsValidDomain(domain)) return new DomainSubject(domain);
                problem = Malformed($"invalid domain '{domain}'", offset + prefix.Length);
                return null;
            case ToolNames.WebSearch when spec.IndexOfAny(['*', '?']) is var wildcard and >= 0:
                problem = Malformed("WebSearch rules take exact search terms, no '*' or '?'", offset + wildcard);
                return null;
            default:
                return new GenericSubject(spec);
        }
    }

    /// <summary>Claude Code's legacy prefix marker <c>:*</c> may only end a shell pattern and needs a prefix before it.</summary>
    private static Result? ShellPrefixProblem(string spec, int offset)
    {
        var marker = spec.IndexOf(":*", StringComparison.Ordinal);
        if (marker < 0) return null;
        if (spec == ":*") return Malformed("nothing before ':*'; write the bare tool name for every command", offset);
        return marker == spec.Length - 2
            ? null
            : Malformed("':*' must end the pattern ('npm run:*'); use '*' for a wildcard anywhere ('npm * --save')", offset + marker);
    }

    /// <summary>
    /// PowerShell commands are matched as a wildcard over the call's input (we run no PowerShell). "P:*" and "P *" mean
    /// P alone or with arguments; a plain wildcard cannot say "a word boundary", so deny and ask rules take the broader
    /// reading (P*) and allow rules the narrower one (P followed by arguments).
    /// </summary>
    private static string PowerShellPattern(string spec, RuleDecision decision)
    {
        var prefix = spec.EndsWith(":*", StringComparison.Ordinal) || spec.EndsWith(" *", StringComparison.Ordinal)
            ? spec[..^2].TrimEnd()
            : null;
        if (prefix is null || prefix.Length == 0) return spec;
        return decision == RuleDecision.Allow ? prefix + " *" : prefix + "*";
    }

    /// <summary>Why Claude Code could never match a rule with this tool name, or null when it is a usable name.</summary>
    private static string? ToolNameProblem(string tool)
    {
        var hint = KnownTools.Suggest(tool) is { } known && known != tool ? $"; did you mean '{known}'?" : "";
        if (tool.Length == 0) return "rule has no tool name";
        if (!char.IsLetter(tool[0]))
            return $"'{tool}' is not a tool name (it must start with a letter), so the rule never matches{hint}";
        foreach (var c in tool)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '*'))
                return $"'{tool}' is not a tool name (it contains '{c}'), so the rule never matches{hint}";
        if (tool.Contains('*') && !(tool.StartsWith("mcp__", StringComparison.Ordinal) && tool.EndsWith("__*", StringComparison.Ordinal)))
            return $"'{tool}' never matches: a '*' in a tool name is only a wildcard as mcp__server__*";
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
    private static Result Malformed(string error, int offset) => new(null, error, offset, RuleProblem.Malformed);
    private static Result NeverMatches(string error, int offset) => new(null, error, offset, RuleProblem.NeverMatches);
}
