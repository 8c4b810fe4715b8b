using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary>`policy validate` and `policy show` on the real-world-shaped files of tests/Orchestrator.Core.Tests/Policy/RealWorld.</summary>
public sealed class PolicyCommandRealWorldTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "RealWorld", name);

    private static int LineOf(string file, string needle) =>
        Array.FindIndex(File.ReadAllLines(file), line => line.Contains(needle, StringComparison.Ordinal)) + 1;

    [Fact]
    public void Validate_accepts_a_claude_code_file_with_auto_mode_and_odd_rules_and_prints_each_warning_at_its_position()
    {
        var settings = Data("claude-settings.json");
        var r = _cli.Run(["policy", "validate", "--project", _cli.Project, "--settings", settings]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("valid: 50 rule(s)", r.Stdout);
        Assert.Contains("5 warning(s)", r.Stdout);
        Assert.Contains($"warning: {settings}:{LineOf(settings, "Bash(rm -r /)*")}:", r.Stderr);
        Assert.Contains("deny rule \"Bash(rm -r /)*\" SKIPPED: what it seems to name is NOT denied", r.Stderr);
        Assert.Contains($"warning: {settings}:{LineOf(settings, "npm run dev:*")}:", r.Stderr);
        Assert.DoesNotContain("error:", r.Stderr);
    }

    [Theory]
    [InlineData("claude-settings-trailing-comma.json", "\"Bash(git status)\",", "trailing comma")]
    [InlineData("claude-settings-comments.json", "// Shared", "comments are not allowed")]
    public void Validate_rejects_a_file_that_is_not_json_at_its_position_and_exits_1(string name, string needle, string message)
    {
        var settings = Data(name);
        var r = _cli.Run(["policy", "validate", "--project", _cli.Project, "--settings", settings]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"error: {settings}:{LineOf(settings, needle)}:", r.Stderr);
        Assert.Contains(message, r.Stderr);
        Assert.Contains("fails closed", r.Stdout);
    }

    [Fact]
    public void Validate_accepts_codex_host_executable_and_network_rules_and_rejects_their_invalid_forms()
    {
        var valid = _cli.Run(["policy", "validate", "--project", _cli.Project, "--rules", Data("codex-host-network.rules")]);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("7 warning(s)", valid.Stdout);
        Assert.Contains("shell commands are NOT kept from pastebin.com", valid.Stderr);

        var invalid = Data("codex-invalid.rules");
        var r = _cli.Run(["policy", "validate", "--project", _cli.Project, "--rules", invalid]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"error: {invalid}:{LineOf(invalid, "*.example.com")}:", r.Stderr);
        Assert.Contains("invalid rule: network_rule host must be a specific host; wildcards are not allowed", r.Stderr);
        Assert.Contains("invalid rule: host_executable path `/usr/bin/gitx` must have basename `git`", r.Stderr);
        Assert.Contains("invalid rule: justification cannot be empty", r.Stderr);
    }

    [Fact]
    public void Show_puts_explicit_flags_above_a_settings_file_and_says_where_each_value_came_from()
    {
        var settings = _cli.Write("cli-settings.json",
            "{\n  \"orchestrator\": {\n    \"mode\": \"workspace-write\",\n    \"approvalPolicy\": \"on-request\",\n    \"network\": \"on\",\n    \"maxInputBytes\": 65536\n  }\n}\n");
        var r = _cli.Run(["policy", "show", "--project", _cli.Project, "--settings", settings, "--mode", "read-only", "--network", "off"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"sandbox mode\s+read-only\s+\(command-line flag --mode\)", r.Stdout);
        Assert.Matches(@"network\s+off\s+\(command-line flag --network\)", r.Stdout);
        Assert.Matches($@"approval policy\s+on-request\s+\(command-line {Regex(settings)}:4:23\)", r.Stdout);
        Assert.Matches(@"accept edits\s+no\s+\(command-line flag --mode\)", r.Stdout);
        Assert.Matches($@"max input bytes\s+65536\s+\(command-line {Regex(settings)}:6:22\)", r.Stdout);
        Assert.Contains($"warning: {settings}:5:16: network on is overridden by the flag --network (off)", r.Stdout);

        var json = _cli.Run(["policy", "show", "--json", "--project", _cli.Project, "--settings", settings, "--mode", "read-only", "--network", "off"]);
        using var doc = JsonDocument.Parse(json.Stdout);
        var values = doc.RootElement.GetProperty("settings");
        Assert.Equal("off", values.GetProperty("network").GetProperty("value").GetString());
        Assert.Equal("--network", values.GetProperty("network").GetProperty("flag").GetString());
        var approval = values.GetProperty("approvalPolicy");
        Assert.Equal(settings, approval.GetProperty("file").GetString());
        Assert.Equal((4, 23), (approval.GetProperty("line").GetInt32(), approval.GetProperty("column").GetInt32()));
        Assert.Equal(6, values.GetProperty("maxInputBytes").GetProperty("line").GetInt32());
        Assert.Equal("command-line flag --mode", values.GetProperty("sandboxMode").GetProperty("from").GetString());
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
