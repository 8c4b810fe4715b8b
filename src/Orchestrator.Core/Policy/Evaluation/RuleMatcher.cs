using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Finds the first rule of each class that covers a subject. Bash rules are indexed by their literal first word so a
/// command is compared with the few rules that can match it, not with all of them. Deny and ask Bash rules are also
/// matched on the command as its program reads it (<see cref="ShapeMatch"/>); allow rules only as written.
/// </summary>
internal sealed class RuleMatcher
{
    private readonly IReadOnlyList<PermissionRule>[] _byDecision;
    /// <summary>Per decision, per tool name: the rules whose tool part covers that tool (built on first use).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PermissionRule[]>[] _byTool =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Dictionary<string, PermissionRule[]>[] _bashByWord;
    private readonly PermissionRule[][] _bashUnindexed;
    /// <summary>Deny and ask rules by the base name of their program, with the pattern as the program reads it.</summary>
    private readonly Dictionary<string, ShapedRule[]>[] _shapedByProgram;
    private readonly PermissionRule[][] _pipelineRules;

    private sealed record ShapedRule(PermissionRule Rule, CommandShape Shape, bool ArgumentsOptional);

    public RuleMatcher(PolicySnapshot snapshot, CommandClassifier classifier)
    {
        _byDecision = [snapshot.AllowRules, snapshot.AskRules, snapshot.DenyRules];
        _bashByWord = new Dictionary<string, PermissionRule[]>[3];
        _bashUnindexed = new PermissionRule[3][];
        _shapedByProgram = new Dictionary<string, ShapedRule[]>[3];
        _pipelineRules = new PermissionRule[3][];
        for (var d = 0; d < 3; d++)
        {
            var byWord = new Dictionary<string, List<PermissionRule>>(StringComparer.Ordinal);
            var unindexed = new List<PermissionRule>();
            var shaped = new Dictionary<string, List<ShapedRule>>(StringComparer.Ordinal);
            var pipelines = new List<PermissionRule>();
            foreach (var rule in _byDecision[d])
            {
                if (rule.Tool != ToolNames.Bash) continue;
                var words = rule.Specifier switch
                {
                    BashSubject { Pattern.FirstWord: { } w } => [w],
                    CodexPrefixSubject c => c.Rule.Pattern[0],
                    _ => null,
                };
                if (words is null) unindexed.Add(rule);
                else
                    foreach (var w in words)
                    {
                        if (!byWord.TryGetValue(w, out var list)) byWord[w] = list = [];
                        list.Add(rule);
                    }
                if (d == (int)RuleDecision.Allow || rule.Specifier is not BashSubject { Pattern: var pattern }) continue;
                if (pattern.Stages.Count > 1) pipelines.Add(rule);
                else if (pattern.FirstWord is { } program)
                {
                    var shape = classifier.Describe(pattern.Words);
                    if (!shaped.TryGetValue(shape.Program, out var list)) shaped[shape.Program] = list = [];
                    list.Add(new ShapedRule(rule, shape, pattern.AcceptsMoreArguments));
                }
            }
            _bashByWord[d] = byWord.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
            _bashUnindexed[d] = unindexed.ToArray();
            _shapedByProgram[d] = shaped.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
            _pipelineRules[d] = pipelines.ToArray();
        }
    }

    /// <summary>Deny or ask rules written as pipelines (<c>curl * | sh</c>).</summary>
    public IReadOnlyList<PermissionRule> PipelineRules(RuleDecision decision) => _pipelineRules[(int)decision];

    /// <summary>
    /// The first <paramref name="decision"/> rule covering the command: as written; for deny and ask also by the
    /// program's base name when it is called by path, and as the program reads it (<paramref name="shape"/> is asked
    /// for only when a rule for that program exists).
    /// </summary>
    public BashRuleHit? MatchCommand(RuleDecision decision, IReadOnlyList<string> argv, string text, Func<CommandShape> shape,
        Func<CommandShape>? otherReading = null)
    {
        if (MatchBash(decision, argv, text) is { } literal) return new BashRuleHit(literal);
        if (decision == RuleDecision.Allow || argv.Count == 0) return null;
        var program = argv[0];
        if (program.Contains('/'))
        {
            string[] byName = [program[(program.LastIndexOf('/') + 1)..], .. argv.Skip(1)];
            if (byName[0].Length > 0 && MatchBash(decision, byName, string.Join(' ', byName)) is { } named)
                return new BashRuleHit(named, $"as {byName[0]}");
        }
        var shapedRules = _shapedByProgram[(int)decision];
        if (shapedRules.Count == 0) return null;
        var commandShape = shape();
        if (!shapedRules.TryGetValue(commandShape.Program, out var candidates)) return null;
        foreach (var candidate in candidates)
            if (ShapeMatch.Matches(candidate.Shape, candidate.ArgumentsOptional, commandShape))
                return new BashRuleHit(candidate.Rule, commandShape.ToString());
        if (!commandShape.HasUnknownOptions || otherReading?.Invoke() is not { } other) return null;
        foreach (var candidate in candidates)
            if (ShapeMatch.Matches(candidate.Shape, candidate.ArgumentsOptional, other))
                return new BashRuleHit(candidate.Rule, other.ToString());
        return null;
    }

    /// <summary>The first <paramref name="decision"/> rule matching the command as written, given as words and as joined text.</summary>
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

    /// <summary>Every <paramref name="decision"/> rule matching the command as written, in policy order.</summary>
    public IReadOnlyList<PermissionRule> MatchAllBash(RuleDecision decision, IReadOnlyList<string> argv, string text)
    {
        List<PermissionRule>? found = null;
        var d = (int)decision;
        if (argv.Count > 0 && _bashByWord[d].TryGetValue(argv[0], out var indexed))
            foreach (var rule in indexed)
                if (BashMatches(rule, argv, text)) (found ??= []).Add(rule);
        foreach (var rule in _bashUnindexed[d])
            if (BashMatches(rule, argv, text)) (found ??= []).Add(rule);
        return found ?? (IReadOnlyList<PermissionRule>)[];
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

    /// <summary>The first <paramref name="decision"/> rule that matches the path and spells out <paramref name="namedPath"/> (or a path below it).</summary>
    public PermissionRule? MatchPathNaming(RuleDecision decision, string tool, string canonicalPath, string lexicalPath, string namedPath)
    {
        foreach (var rule in ForTool(decision, tool))
            if (rule.Specifier is PathSubject p && p.Pattern.NamesPathAtOrBelow(namedPath)
                && (p.Pattern.Matches(canonicalPath) || p.Pattern.Matches(lexicalPath)))
                return rule;
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
