using Orchestrator.Core.Classification;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// What the allow rules that matched a command name, and so cover: the command's own plain use always; an escape
/// hatch only when a rule spells out its option (<c>Bash(rg --pre *)</c>) or the whole command (an exact rule); a
/// command the outer one runs (after <c>timeout 5</c>, inside <c>find -exec</c>) only when a rule's literal words
/// reach its program. A wildcard never stretches over what it does not spell: everything else is judged as if the
/// rules were not there. Several matching rules cover the union of what each names.
/// </summary>
internal sealed class AllowCoverage
{
    private sealed record Named(PermissionRule Rule, bool Exact, int Words, IReadOnlyList<string> Text);

    private readonly IReadOnlyList<Named> _rules;

    private AllowCoverage(IReadOnlyList<Named> rules) => _rules = rules;

    /// <summary>The rule shown as the reason: the first that matched (or that reaches an inner command).</summary>
    public PermissionRule Rule => _rules[0].Rule;

    public static AllowCoverage? Of(IReadOnlyList<PermissionRule> rules) =>
        rules.Count == 0 ? null : new AllowCoverage(rules.Select(Describe).ToArray());

    private static Named Describe(PermissionRule rule) => rule.Specifier switch
    {
        BashSubject b => new Named(rule, b.Pattern.IsExact, b.Pattern.LeadingLiteralWords, b.Pattern.Words),
        CodexPrefixSubject c => new Named(rule, false, c.Rule.Pattern.Count, c.Rule.Pattern.SelectMany(p => p).ToArray()),
        _ => new Named(rule, false, 0, []),
    };

    public bool Names(EscapeHatchUse hatch) => _rules.Any(rule => rule.Exact || Spells(rule.Text, hatch));

    private static bool Spells(IReadOnlyList<string> words, EscapeHatchUse hatch)
    {
        foreach (var alias in hatch.OptionSpellings)
            foreach (var word in words)
            {
                if (word == alias || word.StartsWith(alias + "=", StringComparison.Ordinal)) return true;
                // A short option named inside a cluster: `sed -Ei *` names -i.
                if (alias.Length == 2 && alias[0] == '-' && alias[1] != '-' && word.Length > 2 && word[0] == '-' && word[1] != '-'
                    && !word.Contains('*') && word.IndexOf(alias[1], 1) > 0) return true;
            }
        return false;
    }

    /// <summary>The coverage of a command that starts at word <paramref name="start"/>, or null when no rule reaches it.</summary>
    public AllowCoverage? ForInner(int start)
    {
        var reaching = _rules
            .Where(rule => rule.Exact || (start >= 0 && rule.Words > start))
            .Select(rule => rule.Exact ? rule : rule with { Words = rule.Words - start, Text = rule.Text.Skip(start).ToArray() })
            .ToArray();
        return reaching.Length == 0 ? null : new AllowCoverage(reaching);
    }
}
