using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Approval;

namespace Orchestrator.Core.Tests.Approval;

public class LocalSettingsRulesTests
{
    private static string[] Allow(string text) =>
        [.. JsonDocument.Parse(text).RootElement.GetProperty("permissions").GetProperty("allow").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void A_missing_file_becomes_a_settings_object_with_the_one_allow_rule()
    {
        var edit = LocalSettingsRules.Add(null, "Bash(git push)");

        Assert.Null(edit.Error);
        Assert.Equal(["Bash(git push)"], Allow(edit.Text!));
    }

    [Fact]
    public void Every_other_key_and_rule_is_kept_and_the_rule_is_appended_after_them()
    {
        const string existing = """
            {"model":"x","permissions":{"deny":["Bash(rm:*)"],"allow":["Read(./**)"],"defaultMode":"plan"},"hooks":{"PreToolUse":[]}}
            """;

        var text = LocalSettingsRules.Add(existing, "Bash(npm publish)").Text!;

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("x", root.GetProperty("model").GetString());
        Assert.Equal("plan", root.GetProperty("permissions").GetProperty("defaultMode").GetString());
        Assert.Equal("Bash(rm:*)", root.GetProperty("permissions").GetProperty("deny")[0].GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("hooks").GetProperty("PreToolUse").ValueKind);
        Assert.Equal(["Read(./**)", "Bash(npm publish)"], Allow(text));
    }

    [Fact]
    public void A_rule_already_there_changes_nothing_and_removing_one_not_there_changes_nothing()
    {
        var once = LocalSettingsRules.Add(null, "Bash(ls)").Text!;

        Assert.Equal(LocalSettingsEdit.Unchanged, LocalSettingsRules.Add(once, "Bash(ls)"));
        Assert.Equal(LocalSettingsEdit.Unchanged, LocalSettingsRules.Remove(once, "Bash(pwd)"));
        Assert.Empty(Allow(LocalSettingsRules.Remove(once, "Bash(ls)").Text!));
    }

    [Theory]
    [InlineData("{ nope", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"permissions\":[]}", "\"permissions\" is not an object")]
    [InlineData("{\"permissions\":{\"allow\":\"Bash\"}}", "\"permissions.allow\" is not an array")]
    public void A_file_of_another_shape_is_never_rewritten_and_the_error_says_why(string existing, string why)
    {
        var edit = LocalSettingsRules.Add(existing, "Bash(ls)");

        Assert.Null(edit.Text);
        Assert.Contains(why, edit.Error);
    }

    [Fact]
    public void Adding_any_rules_in_any_order_keeps_each_exactly_once_in_first_added_order()
    {
        var rules = Gen.OneOf(Gen.Const("Bash(ls)"), Gen.Const("Bash(git push)"), Gen.String[Gen.Char.AlphaNumeric, 1, 8].Select(s => $"Bash({s})"),
            Gen.Const("WebFetch(domain:example.com)"), Gen.Const("Read(\"quoted\\\\path\")"));
        rules.Array[0, 20].Sample(added =>
        {
            string? text = null;
            foreach (var rule in added)
                text = LocalSettingsRules.Add(text, rule).Text ?? text;
            Assert.Equal(added.Distinct().ToArray(), text is null ? [] : Allow(text));
        });
    }
}
