using System.Text;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Hooks;

public class HookConfigurationTests
{
    private static JsonObjectValue HooksOf(string settingsJson, string file = "s.json") =>
        (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(settingsJson), file)).Find("hooks")!.Value;

    private static HookConfiguration Parse(params string[] settingsJson) =>
        HookConfiguration.Parse(settingsJson.Select((json, i) => HooksOf(json, $"layer{i}.json")).ToArray(), "/proj", "/home/u");

    private static PolicyLoadError SingleError(string settingsJson)
    {
        var configuration = Parse(settingsJson);
        Assert.Empty(configuration.Matchers);
        return Assert.Single(configuration.Errors);
    }

    [Fact]
    public void Reads_claude_code_command_hooks_with_our_extra_keys()
    {
        var configuration = Parse("""
            {"hooks": {"PreToolUse": [{"matcher": "Bash|Write", "hooks": [
              {"type": "command", "command": "./check.sh", "timeout": 5, "onFailure": "ignore", "name": "checker"},
              {"type": "command", "command": "./audit.sh"}]}]}}
            """);

        Assert.Empty(configuration.Errors);
        var matcher = Assert.Single(configuration.Matchers);
        Assert.Equal(HookEvent.PreToolUse, matcher.Event);
        Assert.Equal(
            [
                new HookDefinition("checker", "./check.sh", TimeSpan.FromSeconds(5), HookFailureMode.Ignore, new SourceLocation("layer0.json", 2, 3)),
                new HookDefinition("./audit.sh", "./audit.sh", TimeSpan.FromSeconds(60), HookFailureMode.Deny, new SourceLocation("layer0.json", 3, 3)),
            ],
            matcher.Hooks);
    }

    [Theory]
    [InlineData("Bash|Write", "Bash", true)]
    [InlineData("Bash|Write", "Write", true)]
    [InlineData("Bash|Write", "BashOutput", false)]
    [InlineData("Bash", "bash", false)]
    [InlineData("", "anything", true)]
    [InlineData("*", "mcp__github__create_issue", true)]
    [InlineData("mcp__github__.*", "mcp__github__create_issue", true)]
    [InlineData("mcp__github__.*", "mcp__gitlab__create_issue", false)]
    [InlineData("^(Edit|Write)$", "Write", true)]
    [InlineData("^(Edit|Write)$", "WriteFile", false)]
    public void Matcher_lists_exact_names_or_is_a_regex_over_the_tool_name(string matcher, string tool, bool expected)
    {
        var configuration = Parse($$$"""{"hooks": {"PreToolUse": [{"matcher": "{{{matcher}}}", "hooks": [{"type": "command", "command": "x"}]}]}}""");

        Assert.Empty(configuration.Errors);
        Assert.Equal(expected, configuration.For(tool).Count == 1);
    }

    [Fact]
    public void A_missing_matcher_matches_every_tool()
    {
        var configuration = Parse("""{"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x"}]}]}}""");

        Assert.Single(configuration.For("WebFetch"));
    }

    [Fact]
    public void For_returns_matching_hooks_in_layer_then_file_order()
    {
        var configuration = Parse(
            """{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "managed-1"}]}, {"matcher": "Read", "hooks": [{"type": "command", "command": "managed-read"}]}, {"matcher": ".*", "hooks": [{"type": "command", "command": "managed-2"}]}]}}""",
            """{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "project-1"}, {"type": "command", "command": "project-2"}]}]}}""");

        Assert.Equal(["managed-1", "managed-2", "project-1", "project-2"], configuration.For("Bash").Select(h => h.Command));
    }

    private const string PostAndPermissionHooks = """
        {"hooks": {"PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "post"}]}],
                   "PermissionRequest": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "perm"}]}]}}
        """;

    [Fact]
    public void Post_tool_use_and_permission_request_hooks_are_read_but_not_returned_for_pre_tool_use()
    {
        var configuration = HookConfiguration.Parse([HooksOf(PostAndPermissionHooks)], "/proj", "/home/u", [SettingsLayer.User]);

        Assert.Empty(configuration.Errors);
        Assert.Empty(configuration.For("Bash"));
        Assert.Equal("post", Assert.Single(configuration.For("Bash", HookEvent.PostToolUse)).Command);
        Assert.Equal("perm", Assert.Single(configuration.For("Bash", HookEvent.PermissionRequest)).Command);
    }

    [Theory]
    [InlineData(SettingsLayer.Project)]
    [InlineData(SettingsLayer.ProjectLocal)]
    public void A_permission_request_hook_in_a_workspace_file_is_an_error_and_never_answers(SettingsLayer layer)
    {
        var configuration = HookConfiguration.Parse([HooksOf(PostAndPermissionHooks)], "/proj", "/home/u", [layer]);

        Assert.Empty(configuration.For("Bash", HookEvent.PermissionRequest));
        Assert.Contains("a PermissionRequest hook may be defined only in managed, command-line (--settings) or user settings",
            Assert.Single(configuration.Errors).Message);
        Assert.Equal("post", Assert.Single(configuration.For("Bash", HookEvent.PostToolUse)).Command);
    }

    [Theory]
    [InlineData(SettingsLayer.Managed)]
    [InlineData(SettingsLayer.CommandLine)]
    [InlineData(SettingsLayer.User)]
    public void A_permission_request_hook_in_a_layer_beyond_the_agents_reach_is_read(SettingsLayer layer)
    {
        var configuration = HookConfiguration.Parse([HooksOf(PostAndPermissionHooks)], "/proj", "/home/u", [layer]);

        Assert.Empty(configuration.Errors);
        Assert.Equal("perm", Assert.Single(configuration.For("Bash", HookEvent.PermissionRequest)).Command);
    }

    [Fact]
    public void Claude_code_events_that_do_not_concern_tool_calls_are_warnings()
    {
        var configuration = Parse("""{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x"}]}]}}""");

        Assert.Empty(configuration.Errors);
        Assert.Empty(configuration.Matchers);
        Assert.Equal(new SourceLocation("layer0.json", 1, 12), Assert.Single(configuration.Warnings).Location);
    }

    [Fact]
    public void Unknown_event_name_is_an_error_at_the_key()
    {
        var error = SingleError("{\"hooks\": {\n  \"PreToolUsed\": []}}");

        Assert.Equal(new SourceLocation("layer0.json", 2, 3), error.Location);
        Assert.Contains("unknown hook event 'PreToolUsed'", error.Message);
    }

    [Fact]
    public void Event_value_that_is_not_an_array_is_an_error_at_the_value()
    {
        var error = SingleError("""{"hooks": {"PreToolUse": {"matcher": "Bash"}}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 26), error.Location);
        Assert.Contains("must be an array", error.Message);
    }

    [Fact]
    public void Hooks_that_is_not_an_array_is_an_error()
    {
        var error = SingleError("""{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": "x"}]}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 56), error.Location);
        Assert.Contains("'hooks' must be an array", error.Message);
    }

    [Fact]
    public void Bad_regex_is_an_error_at_the_matcher_string()
    {
        var error = SingleError("{\"hooks\": {\"PreToolUse\": [\n  {\"matcher\": \"Bash(\", \"hooks\": [{\"type\": \"command\", \"command\": \"x\"}]}]}}");

        Assert.Equal(new SourceLocation("layer0.json", 2, 15), error.Location);
        Assert.Contains("matcher 'Bash(' is not a valid regular expression", error.Message);
    }

    [Fact]
    public void Regex_constructs_that_need_backtracking_are_rejected_not_run()
    {
        var error = SingleError("""{"hooks": {"PreToolUse": [{"matcher": "(?=Bash).*", "hooks": [{"type": "command", "command": "x"}]}]}}""");

        Assert.Contains("not supported", error.Message);
    }

    [Fact]
    public void Missing_command_is_an_error_at_the_hook()
    {
        var error = SingleError("""{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command"}]}]}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 57), error.Location);
        Assert.Contains("needs a 'command'", error.Message);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-5", "-5")]
    [InlineData("601", "601")]
    [InlineData("\"60\"", "\"60\"")]
    public void Timeout_must_be_positive_and_at_most_600_seconds(string timeout, string shown)
    {
        var error = SingleError($$$"""{"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x", "timeout": {{{timeout}}}}]}]}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 85), error.Location);
        Assert.Contains($"found {shown}", error.Message);
    }

    [Fact]
    public void Timeout_of_600_seconds_is_accepted()
    {
        var configuration = Parse("""{"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x", "timeout": 600}]}]}}""");

        Assert.Equal(TimeSpan.FromMinutes(10), Assert.Single(configuration.For("Bash")).Timeout);
    }

    [Theory]
    [InlineData("\"prompt\"", "unknown hook type 'prompt'")]
    [InlineData("7", "'type' must be a string")]
    public void Unknown_type_is_an_error_at_the_type(string type, string message)
    {
        var error = SingleError($$$"""{"hooks": {"PreToolUse": [{"hooks": [{"type": {{{type}}}, "command": "x"}]}]}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 47), error.Location);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Bad_on_failure_is_an_error_at_the_value()
    {
        var error = SingleError("""{"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "x", "onFailure": "retry"}]}]}}""");

        Assert.Equal(new SourceLocation("layer0.json", 1, 87), error.Location);
        Assert.Contains("\"deny\" or \"ignore\", found \"retry\"", error.Message);
    }

    [Fact]
    public void A_bad_hook_drops_its_whole_matcher_but_keeps_the_others()
    {
        var configuration = Parse("""
            {"hooks": {"PreToolUse": [
              {"matcher": "Bash", "hooks": [{"type": "command", "command": "good"}, {"type": "command"}]},
              {"matcher": "Bash", "hooks": [{"type": "command", "command": "other"}]}]}}
            """);

        Assert.Single(configuration.Errors);
        Assert.Equal(["other"], configuration.For("Bash").Select(h => h.Command));
    }

    [Fact]
    public void A_bad_hook_config_makes_the_policy_fail_closed_with_its_position()
    {
        var project = Directory.CreateTempSubdirectory("hooks-policy-");
        try
        {
            Directory.CreateDirectory(Path.Combine(project.FullName, ".orchestrator"));
            var settings = Path.Combine(project.FullName, ".orchestrator", "settings.json");
            File.WriteAllText(settings, "{\"permissions\": {\"allow\": [\"Bash(ls)\"]},\n \"hooks\": {\"PreToolUse\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"x\", \"timeout\": 0}]}]}}");

            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(project.FullName) { ManagedSettingsPath = null, UserSettingsPath = null });

            Assert.True(snapshot.FailedClosed);
            Assert.Empty(snapshot.AllowRules);
            var error = Assert.Single(snapshot.Errors);
            Assert.Equal(new SourceLocation(settings, 2, 85), error.Location);
            Assert.StartsWith($"{settings}:2:85: hook 'timeout'", error.ToString());
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_good_hook_config_loads_into_the_snapshot()
    {
        var project = Directory.CreateTempSubdirectory("hooks-policy-");
        try
        {
            Directory.CreateDirectory(Path.Combine(project.FullName, ".orchestrator"));
            File.WriteAllText(Path.Combine(project.FullName, ".orchestrator", "settings.json"),
                """{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]}}""");

            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(project.FullName) { ManagedSettingsPath = null, UserSettingsPath = null });

            Assert.False(snapshot.FailedClosed);
            Assert.Equal("x", Assert.Single(HookConfiguration.From(snapshot).For("Bash")).Command);
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, null, new[] { "managed", "project" })]
    [InlineData("\"allowManagedHooksOnly\": true", null, new[] { "managed" })]
    [InlineData(null, "\"allowManagedHooksOnly\": true", new[] { "managed", "project" })]
    [InlineData("\"disableAllHooks\": true", null, new string[0])]
    [InlineData(null, "\"disableAllHooks\": true", new[] { "managed" })]
    public void Managed_settings_decide_whose_hooks_run(string? managedSetting, string? projectSetting, string[] expected)
    {
        var root = Directory.CreateTempSubdirectory("hooks-layers-");
        try
        {
            static string Settings(string command, string? extra) =>
                "{" + (extra is null ? "" : extra + ", ") + $$$"""
                "hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": "{{{command}}}"}]}]}}
                """;
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "project"));
            Directory.CreateDirectory(Path.Combine(project.FullName, ".orchestrator"));
            File.WriteAllText(Path.Combine(project.FullName, ".orchestrator", "settings.json"), Settings("project", projectSetting));
            var managed = Path.Combine(root.FullName, "managed-settings.json");
            File.WriteAllText(managed, Settings("managed", managedSetting));

            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(project.FullName) { ManagedSettingsPath = managed, UserSettingsPath = null });

            Assert.Empty(snapshot.Errors);
            Assert.Equal(expected, HookConfiguration.From(snapshot).For("Bash").Select(h => h.Command));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Hook_switches_must_be_booleans()
    {
        var s = SettingsFileReader.Read(Encoding.UTF8.GetBytes("""{"disableAllHooks": "yes"}"""), "s.json", SettingsLayer.Project,
            new Orchestrator.Core.Policy.Rules.RuleContext("/p", "/p", "/h"));

        Assert.Equal(new SourceLocation("s.json", 1, 21), Assert.Single(s.Errors).Location);
    }
}
