using System.Collections.Immutable;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

public sealed class EnvironmentScrubberTests
{
    private static readonly ImmutableDictionary<string, string> Source = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/bin:/bin",
        ["HOME"] = "/home/agent",
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
        ["TERM"] = "xterm",
        ["GITHUB_TOKEN"] = "ghp_secret",
        ["AWS_PROFILE"] = "prod",
        ["LD_PRELOAD"] = "/tmp/evil.so",
        ["SSH_AUTH_SOCK"] = "/tmp/agent.sock",
        ["EDITOR"] = "vim",
        ["DOTNET_ROOT"] = "/usr/share/dotnet",
    }.ToImmutableDictionary();

    [Fact]
    public void Only_allowlisted_names_are_kept_from_the_source()
    {
        var scrubbed = EnvironmentScrubber.Default.Scrub(Source);
        Assert.Equal(["HOME", "LANG", "LC_ALL", "PATH", "TERM"], scrubbed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("C.UTF-8", scrubbed["LANG"]);
    }

    [Theory]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("github_token")]
    [InlineData("NPM_TOKEN")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("DB_PASSWORD")]
    [InlineData("MYPASSWDFILE")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("AWS_REGION")]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("LD_AUDIT")]
    [InlineData("DYLD_INSERT_LIBRARIES")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("PROMPT_COMMAND")]
    [InlineData("SSH_AUTH_SOCK")]
    [InlineData("GIT_ASKPASS")]
    [InlineData("SSH_ASKPASS")]
    public void Denied_names_are_dropped_even_when_the_caller_adds_them(string name)
    {
        Assert.True(EnvironmentScrubber.IsDenied(name));
        var scrubbed = EnvironmentScrubber.Default.Scrub(Source, [new(name, "value")]);
        Assert.False(scrubbed.ContainsKey(name));
    }

    [Fact]
    public void Caller_variables_are_added_and_replace_source_values()
    {
        var scrubbed = EnvironmentScrubber.Default.Scrub(Source, [new("LANG", "de_DE.UTF-8"), new("MY_FLAG", "1")]);
        Assert.Equal("de_DE.UTF-8", scrubbed["LANG"]);
        Assert.Equal("1", scrubbed["MY_FLAG"]);
    }

    [Fact]
    public void Policy_pass_through_overrides_the_deny_patterns_for_source_and_caller_values()
    {
        var scrubber = new EnvironmentScrubber(["GITHUB_TOKEN", "NPM_TOKEN", "EDITOR"]);
        var scrubbed = scrubber.Scrub(Source, [new("NPM_TOKEN", "npm_x")]);
        Assert.Equal("ghp_secret", scrubbed["GITHUB_TOKEN"]);
        Assert.Equal("npm_x", scrubbed["NPM_TOKEN"]);
        Assert.Equal("vim", scrubbed["EDITOR"]);
        Assert.False(scrubbed.ContainsKey("AWS_PROFILE"));
    }

    [Fact]
    public void Names_and_values_no_environment_can_carry_are_dropped()
    {
        var scrubbed = EnvironmentScrubber.Default.Scrub([], [new("A=B", "x"), new("NUL", "a\0b"), new("", "x"), new("OK", "fine")]);
        Assert.Equal(["OK"], scrubbed.Keys);
    }

    [Fact]
    public void Scrubbing_is_deterministic()
    {
        var first = EnvironmentScrubber.Default.Scrub(Source, [new("X", "1")]);
        var second = EnvironmentScrubber.Default.Scrub(Source.Reverse(), [new("X", "1")]);
        Assert.Equal(first.OrderBy(p => p.Key, StringComparer.Ordinal), second.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
