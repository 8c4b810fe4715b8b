namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// One Codex <c>prefix_rule</c>: a command matches when its leading tokens equal the pattern, position by position,
/// where each pattern position lists the tokens accepted there.
/// </summary>
/// <param name="Pattern">Per position, the alternatives accepted (never empty).</param>
/// <param name="Decision">What the rule decides for matching commands.</param>
/// <param name="Justification">The optional human-readable reason for the rule.</param>
/// <param name="Location">Where the <c>prefix_rule</c> call starts.</param>
/// <param name="Text">A short rendering such as <c>prefix_rule(pattern=["git", ["status", "log"]], decision="allow")</c>.</param>
public sealed record CodexPrefixRule(
    IReadOnlyList<IReadOnlyList<string>> Pattern,
    CodexDecision Decision,
    string? Justification,
    SourceLocation Location,
    string Text)
{
    /// <summary>Builds a rule whose <see cref="Text"/> is rendered from the pattern and decision.</summary>
    public static CodexPrefixRule Create(
        IReadOnlyList<IReadOnlyList<string>> pattern,
        CodexDecision decision,
        string? justification,
        SourceLocation location) =>
        new(pattern, decision, justification, location, Render(pattern, decision));

    /// <summary>True when <paramref name="argv"/> has at least as many tokens as the pattern and each leading token is one of that position's alternatives (exact, ordinal).</summary>
    public bool Matches(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (Pattern.Count == 0 || argv.Count < Pattern.Count)
        {
            return false;
        }

        for (var i = 0; i < Pattern.Count; i++)
        {
            if (!Pattern[i].Contains(argv[i], StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    /// <summary>Renders <c>prefix_rule(pattern=[...], decision="...")</c>; single alternatives are shown as plain strings.</summary>
    public static string Render(IReadOnlyList<IReadOnlyList<string>> pattern, CodexDecision decision)
    {
        var elements = pattern.Select(alternatives => alternatives.Count == 1
            ? CodexQuoting.Quote(alternatives[0])
            : CodexQuoting.QuoteList(alternatives));
        return $"prefix_rule(pattern=[{string.Join(", ", elements)}], decision={CodexQuoting.Quote(decision.ToRulesText())})";
    }
}
