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

    private readonly CommandClassifier _classifier;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<BashCommandPattern, CommandShape> _patternShapes = new();

    public RuleMatcher(PolicySnapshot snapshot, CommandClassifier classifier)
    {
        _classifier = classifier;
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
                    var shape = PatternShape(pattern);
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

    /// <summary>The shape of a Bash pattern's words (cached: patterns are few and fixed per snapshot).</summary>
    public CommandShape PatternShape(BashCommandPattern pattern) =>
        _patternShapes.GetOrAdd(pattern, (p, c) => c.Describe(p.Words), _classifier);

    /// <summary>The command's readings, made at most once per command and only when a rule needs them.</summary>
    public struct Readings
    {
        internal CommandShape? Shape;
        internal CommandShape? Other;
    }

    /// <summary>
    /// The first <paramref name="decision"/> rule covering the command: as written; for deny and ask also by the
    /// program's base name when it is called by path, and as the program reads it (read into
    /// <paramref name="readings"/> only when a rule for that program could match).
    /// </summary>
    public BashRuleHit? MatchCommand(RuleDecision decision, IReadOnlyList<string> argv, string text, ref Readings readings)
    {
        if (MatchBash(decision, argv, text) is { } literal) return new BashRuleHit(literal);
        if (decision == RuleDecision.Allow || argv.Count == 0) return null;
        var program = argv[0];
        var baseName = program.Contains('/') ? program[(program.LastIndexOf('/') + 1)..] : program;
        if (!ReferenceEquals(baseName, program))
        {
            string[] byName = [baseName, .. argv.Skip(1)];
            if (baseName.Length > 0 && MatchBash(decision, byName, string.Join(' ', byName)) is { } named)
                return new BashRuleHit(named, $"as {baseName}");
        }
        if (!_shapedByProgram[(int)decision].TryGetValue(baseName, out var candidates) || !AnyMayMatch(candidates, argv)) return null;
        var commandShape = readings.Shape ??= _classifier.Describe(argv);
        foreach (var candidate in candidates)
            if (ShapeMatch.Matches(candidate.Shape, candidate.ArgumentsOptional, commandShape))
                return new BashRuleHit(candidate.Rule, commandShape.ToString());
        if (!commandShape.HasUnknownOptions) return null;
        var other = readings.Other ??= _classifier.Describe(argv, unknownOptionsTakeValues: true);
        foreach (var candidate in candidates)
            if (ShapeMatch.Matches(candidate.Shape, candidate.ArgumentsOptional, other))
                return new BashRuleHit(candidate.Rule, other.ToString());
        return null;
    }

    /// <summary>
    /// For a program the catalog does not know (<c>taskset -c 0 rm -rf x</c>, <c>mytool --flag git push</c>): the first
    /// rule matching the words from some later word on, since such a program may run them as a command. Deny and ask
    /// rules only; a false match errs on the side of asking.
    /// </summary>
    public BashRuleHit? MatchTrailingCommand(RuleDecision decision, IReadOnlyList<string> argv)
    {
        for (var start = 1; start < argv.Count; start++)
        {
            if (argv[start].Length == 0 || argv[start][0] == '-') continue;
            var rest = new string[argv.Count - start];
            for (var k = 0; k < rest.Length; k++) rest[k] = argv[start + k];
            var readings = new Readings();
            if (MatchCommand(decision, rest, string.Join(' ', rest), ref readings) is { } hit)
                return hit with { ReadAs = $"the words from '{rest[0]}' on, which {argv[0]} may run as a command (Orchestrator cannot read its arguments)", Suffix = true };
        }
        return null;
    }

    /// <summary>A cheap necessary condition before the command is read: a rule's subcommands all appear among its words.</summary>
    private static bool AnyMayMatch(ShapedRule[] candidates, IReadOnlyList<string> argv)
    {
        foreach (var candidate in candidates)
        {
            var subcommands = candidate.Shape.Subcommands;
            var all = true;
            for (var k = 0; k < subcommands.Count && all; k++)
            {
                var present = false;
                for (var i = 1; i < argv.Count && !present; i++) present = argv[i] == subcommands[k];
                all = present;
            }
            if (all) return true;
        }
        return false;
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
