using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Finds the first rule of each class that covers a subject. Bash rules are indexed by their literal first word so a
/// command is compared with the few rules that can match it, not with all of them.
/// </summary>
internal sealed class RuleMatcher
{
    private readonly IReadOnlyList<PermissionRule>[] _byDecision;
    /// <summary>Per decision, per tool name: the rules whose tool part covers that tool (built on first use).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PermissionRule[]>[] _byTool =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Dictionary<string, PermissionRule[]>[] _bashByWord;
    private readonly PermissionRule[][] _bashUnindexed;

    public RuleMatcher(PolicySnapshot snapshot)
    {
        _byDecision = [snapshot.AllowRules, snapshot.AskRules, snapshot.DenyRules];
        _bashByWord = new Dictionary<string, PermissionRule[]>[3];
        _bashUnindexed = new PermissionRule[3][];
        for (var d = 0; d < 3; d++)
        {
            var byWord = new Dictionary<string, List<PermissionRule>>(StringComparer.Ordinal);
            var unindexed = new List<PermissionRule>();
            foreach (var rule in _byDecision[d])
            {
                if (rule.Tool != Calls.ToolNames.Bash) continue;
                var words = rule.Specifier switch
                {
                    BashSubject { Pattern.FirstWord: { } w } => [w],
                    CodexPrefixSubject c => c.Rule.Pattern[0],
                    _ => null,
                };
                if (words is null) { unindexed.Add(rule); continue; }
                foreach (var w in words)
                {
                    if (!byWord.TryGetValue(w, out var list)) byWord[w] = list = [];
                    list.Add(rule);
                }
            }
            _bashByWord[d] = byWord.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
            _bashUnindexed[d] = unindexed.ToArray();
        }
    }

    /// <summary>The first <paramref name="decision"/> rule matching the command, given as words and as joined text.</summary>
    public PermissionRule? MatchBash(RuleDecision decision, IReadOnlyList<string> argv, string text)
    {
        var d = (int)decision;
        if (argv.Count > 0 && _bashByWord[d].TryGetValue(argv[0], out var indexed))
            foreach (var rule in indexed)
                if (BashMatches(rule, argv, text)) return rule;
        foreach (var rule in _bashUnindexed[d])
            if (BashMatches(rule, argv, text)) return rule;
        return null;
    }

    /// <summary>The first Bash-pattern rule matching a whole script's text (Codex prefix rules need words and are skipped).</summary>
    public PermissionRule? MatchBashText(RuleDecision decision, string text)
    {
        var space = text.IndexOfAny([' ', '\t', '\n']);
        var first = space < 0 ? text : text[..space];
        var d = (int)decision;
        if (_bashByWord[d].TryGetValue(first, out var indexed))
            foreach (var rule in indexed)
                if (rule.Specifier is BashSubject b && b.Pattern.Matches(text)) return rule;
        foreach (var rule in _bashUnindexed[d])
            if (rule.Specifier is BashSubject b && b.Pattern.Matches(text)) return rule;
        return null;
    }

    private static bool BashMatches(PermissionRule rule, IReadOnlyList<string> argv, string text) => rule.Specifier switch
    {
        AnySubject => true,
        BashSubject b => b.Pattern.Matches(text),
        CodexPrefixSubject c => c.Rule.Matches(argv),
        _ => false,
    };

    /// <summary>The first <paramref name="decision"/> rule for a file tool covering any of the given absolute paths.</summary>
    private PermissionRule[] ForTool(RuleDecision decision, string tool)
    {
        var all = _byDecision[(int)decision];
        // Only built-in tool names are cached: callers choose tool names, and the cache must not grow with them.
        return ToolNames.IsFileRead(tool) || ToolNames.IsFileEdit(tool) || tool is ToolNames.WebFetch or ToolNames.Bash
            ? _byTool[(int)decision].GetOrAdd(tool, (t, rules) => rules.Where(r => r.AppliesToTool(t)).ToArray(), all)
            : all.Where(r => r.AppliesToTool(tool)).ToArray();
    }

    public PermissionRule? MatchPath(RuleDecision decision, string tool, string canonicalPath, string lexicalPath)
    {
        var sameText = string.Equals(canonicalPath, lexicalPath, StringComparison.Ordinal);
        foreach (var rule in ForTool(decision, tool))
        {
            switch (rule.Specifier)
            {
                case AnySubject:
                    return rule;
                case PathSubject p when p.Pattern.Matches(canonicalPath) || (!sameText && p.Pattern.Matches(lexicalPath)):
                    return rule;
            }
        }
        return null;
    }

    public PermissionRule? MatchDomain(RuleDecision decision, string tool, string host)
    {
        foreach (var rule in ForTool(decision, tool))
        {
            if (rule.Specifier is AnySubject || (rule.Specifier is DomainSubject d && d.Matches(host))) return rule;
        }
        return null;
    }

    /// <summary>Rules for tools without structure (MCP and others): a bare rule, or a wildcard against any input value.</summary>
    public PermissionRule? MatchOther(RuleDecision decision, string tool, IEnumerable<string> inputValues)
    {
        foreach (var rule in ForTool(decision, tool))
        {
            if (rule.Specifier is AnySubject) return rule;
            if (rule.Specifier is GenericSubject g && inputValues.Any(v => Wildcard.Matches(g.Pattern, v))) return rule;
        }
        return null;
    }
}
