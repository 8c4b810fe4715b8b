using System.Text;
using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Codex;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Policy;

/// <summary>Properties of settings and rule reading over generated input.</summary>
public class SettingsPropertyTests
{
    private static readonly RuleOrigin Origin = new(SettingsLayer.Project, new SourceLocation("s.json", 1, 1));
    private static readonly RuleContext Context = new("/proj/.orchestrator", "/proj", "/home/u");

    /// <summary>Small JSON documents in which a generator may slip a trailing comma or a comment.</summary>
    private static readonly Gen<string> JsonLike = Gen.Recursive<string>((depth, self) =>
    {
        var scalar = Gen.OneOf("1", "true", "null", "\"a\"", "\"Bash(ls)\"", "\"x,]\"", "\"// not a comment\"");
        if (depth >= 3) return scalar;
        var glue = Gen.OneOf(",", ",", ",", ", ", ",\n", ", // c\n", ",/* c */");
        var trailing = Gen.OneOf("", "", "", "", ",", " ,\n");
        var array = Gen.Select(self.Array[0, 3], glue, trailing, (items, g, t) => "[" + string.Join(g, items) + (items.Length > 0 ? t : "") + "]");
        var obj = Gen.Select(self.Array[0, 3], glue, trailing,
            (values, g, t) => "{" + string.Join(g, values.Select((v, i) => $"\"k{i}\": {v}")) + (values.Length > 0 ? t : "") + "}");
        return Gen.OneOf(scalar, array, obj);
    });

    [Fact]
    public void Settings_json_is_accepted_exactly_when_strict_json_is_and_errors_point_inside_the_text()
    {
        JsonLike.Select(j => "{\"v\": " + j + "}").Sample(text =>
        {
            bool strict;
            try { using var _ = JsonDocument.Parse(text); strict = true; }
            catch (JsonException) { strict = false; }

            try
            {
                PositionedJson.Parse(Encoding.UTF8.GetBytes(text), "s.json");
                return strict;
            }
            catch (PolicyLoadException e)
            {
                var lines = text.Split('\n');
                var location = e.Error.Location;
                return !strict && location.Line >= 1 && location.Line <= lines.Length
                    && location.Column >= 1 && location.Column <= lines[location.Line - 1].Length + 1;
            }
        }, iter: 3000);
    }

    [Fact]
    public void Any_rule_string_gives_a_rule_or_a_classified_problem_inside_the_text_never_an_exception()
    {
        Gen.Char["Bash(Read)\\*: -/x.~mcp_"].Array[0, 24].Select(c => new string(c)).Sample(text =>
        {
            foreach (var decision in new[] { RuleDecision.Allow, RuleDecision.Deny })
            {
                var result = RuleParser.Parse(text, decision, Origin, Context);
                var ok = result.Rule is not null
                    ? result.Problem == RuleProblem.None && result.Error is null
                    : result.Problem != RuleProblem.None && result.Error is { Length: > 0 } && result.ErrorOffset >= 0 && result.ErrorOffset <= text.Length;
                if (!ok) return false;
            }
            return true;
        }, iter: 5000);
    }

    [Fact]
    public void A_never_matching_rule_suggestion_parses_as_a_rule()
    {
        Gen.Select(Gen.Char["abcgit -*/."].Array[1, 12].Select(c => new string(c)), Gen.Char["*/. a"].Array[1, 4].Select(c => new string(c)))
            .Where(t => t.Item1.Trim().Length > 0 && t.Item2.Trim().Length > 0 && !t.Item1.Contains(":*"))
            .Sample(t =>
            {
                var result = RuleParser.Parse($"Bash({t.Item1}){t.Item2}", RuleDecision.Deny, Origin, Context);
                if (result.Problem != RuleProblem.NeverMatches) return false;
                var suggestion = result.Error![(result.Error.IndexOf("did you mean \"", StringComparison.Ordinal) + 14)..^2];
                return RuleParser.Parse(suggestion, RuleDecision.Deny, Origin, Context).Rule is not null;
            }, iter: 2000);
    }

    [Fact]
    public void Network_rule_hosts_normalise_to_the_lower_case_host_alone_and_normalising_again_changes_nothing()
    {
        var label = Gen.Char["abcXYZ019-"].Array[1, 8].Select(c => new string(c));
        Gen.Select(label.Array[1, 4], Gen.OneOf("", ":443", ":8080"), Gen.OneOf("", "."), Gen.OneOf("", "  "))
            .Sample(t =>
            {
                var host = string.Join('.', t.Item1);
                var normalized = CodexNetworkRuleBuilder.NormalizeHost(t.Item4 + host + t.Item3 + t.Item2 + t.Item4, out var problem);
                return problem is null && normalized == host.ToLowerInvariant().TrimEnd('.')
                    && CodexNetworkRuleBuilder.NormalizeHost(normalized, out _) == normalized;
            }, iter: 2000);
    }
}
