using System.Text;
using System.Text.Json;

namespace Orchestrator.Cli.Tests;

public sealed class CheckCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Read_only_command_is_allowed_with_exit_code_0()
    {
        var r = _cli.Check("--command", "ls -la && git status");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("ALLOW", r.Stdout);
        Assert.Contains("read-only", r.Stdout);
    }

    [Fact]
    public void Deny_rule_from_a_settings_file_is_named_with_file_line_and_layer_in_json()
    {
        var settings = _cli.Write("cli.json", "{\n  \"permissions\": {\n    \"deny\": [\"Bash(git push:*)\"]\n  }\n}\n");
        var r = _cli.Check("--settings", settings, "--json", "--command", "git status; git push origin main");
        Assert.True(r.ExitCode == 4, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("deny", root.GetProperty("decision").GetString());
        Assert.Equal("rule-deny", root.GetProperty("reasonClass").GetString());
        var rule = root.GetProperty("rule");
        Assert.Equal("Bash(git push:*)", rule.GetProperty("text").GetString());
        Assert.Equal("command-line", rule.GetProperty("layer").GetString());
        Assert.Equal(settings, rule.GetProperty("file").GetString());
        Assert.Equal(3, rule.GetProperty("line").GetInt32());
        Assert.Equal(14, rule.GetProperty("column").GetInt32());
    }

    [Fact]
    public void Escape_hatch_in_a_safe_program_asks_with_exit_code_3()
    {
        var r = _cli.Check("--approval", "untrusted", "--command", "rg --pre ./decode secret .");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("escape-hatch", r.Stdout);
    }

    [Fact]
    public void Project_layer_rules_are_found_in_the_dot_orchestrator_directory()
    {
        _cli.Write("project/.orchestrator/settings.json", """{"permissions":{"allow":["Bash(make deploy)"]}}""");
        var r = _cli.Check("--command", "make deploy");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Bash(make deploy)", r.Stdout);
        Assert.Contains("project", r.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t  ")]
    public void Empty_or_blank_command_is_bad_input_with_exit_code_2(string command)
    {
        var r = _cli.Check("--command", command);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("command is empty", r.Stderr);
    }

    [Fact]
    public void Nul_byte_from_stdin_is_bad_input()
    {
        var r = _cli.Run(["check", "--project", _cli.Project, "--command-stdin"], Encoding.UTF8.GetBytes("ls\0-la"));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("NUL", r.Stderr);
    }

    [Fact]
    public void Invalid_utf8_from_stdin_is_bad_input_naming_the_byte()
    {
        var r = _cli.Run(["check", "--project", _cli.Project, "--command-stdin"], [(byte)'l', (byte)'s', (byte)' ', 0xC3, 0x28]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("not valid UTF-8", r.Stderr);
        Assert.Contains("offset 3", r.Stderr);
    }

    [Fact]
    public void Command_over_the_size_cap_is_bad_input_and_never_evaluated()
    {
        var huge = Encoding.UTF8.GetBytes("echo " + new string('a', 300_000));
        var r = _cli.Run(["check", "--project", _cli.Project, "--command-stdin"], huge);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("262144-byte limit", r.Stderr);
    }

    [Fact]
    public void Broken_settings_file_fails_closed_and_names_file_line_and_column()
    {
        var settings = _cli.Write("broken.json", "{\n  \"permissions\": {\n    \"allow\": [\"Bash(ls)\",, ]\n  }\n}\n");
        var r = _cli.Check("--settings", settings, "--command", "ls");
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains($"{settings}:3:", r.Stderr);
        Assert.Contains("policy-failed-closed", r.Stdout);
    }

    [Fact]
    public void Managed_rule_still_decides_when_another_layer_is_broken()
    {
        _cli.ManagedSettings = _cli.Write("managed.json", """{"permissions":{"allow":["Bash(git status)"]}}""");
        var broken = _cli.Write("broken.json", "{ nope }");
        var allowed = _cli.Check("--settings", broken, "--command", "git status");
        var denied = _cli.Check("--settings", broken, "--command", "ls");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.True(denied.ExitCode == 4, denied.ToString());
    }

    [Fact]
    public void Unknown_option_is_bad_input()
    {
        var r = _cli.Run(["check", "--no-such-option", "x"]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--no-such-option", r.Stderr);
    }

    [Fact]
    public void Edit_of_a_protected_path_that_does_not_exist_yet_asks()
    {
        var r = _cli.Check("--tool", "Edit", "--path", ".git/hooks/pre-commit", "--mode", "acceptEdits");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("protected-path", r.Stdout);
    }

    [Fact]
    public void WebFetch_is_judged_by_domain_rules()
    {
        var r = _cli.Check("--tool", "WebFetch", "--url", "https://docs.github.com/en", "--allow", "WebFetch(domain:docs.github.com)");
        Assert.True(r.ExitCode == 0, r.ToString());
        var bad = _cli.Check("--tool", "WebFetch", "--url", "file:///etc/passwd");
        Assert.True(bad.ExitCode == 2, bad.ToString());
    }
}
