using Orchestrator.Core.Policy;

namespace Orchestrator.Sandbox.Tests;

/// <summary>What the sandbox hides from reading, derived from Read rules and the default deny-read set.</summary>
public sealed class HiddenReadsTests
{
    private const string Home = "/home/agent";
    private const string Project = "/home/agent/ws";
    private const string Data = "/var/lib/orchestrator-data";

    private static HiddenReads For(string[]? deny = null, string[]? allow = null) =>
        HiddenReads.From(PolicyLoader.Load(new PolicyLoadOptions(Project)
        {
            HomeDirectory = Home,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            DenyRules = deny ?? [],
            AllowRules = allow ?? [],
            DataDirectories = [Data],
        }));

    [Fact]
    public void The_default_deny_read_set_and_the_data_directory_are_hidden()
    {
        var hidden = For();

        Assert.Contains("/etc/shadow", hidden.Paths);
        Assert.Contains($"{Home}/.ssh", hidden.Paths);
        Assert.Contains($"{Home}/.aws", hidden.Paths);
        Assert.Contains(Data, hidden.Paths);
        Assert.Empty(hidden.Patterns);
        Assert.Empty(hidden.ExposedPaths);
    }

    [Theory]
    [InlineData("Read(./.env)", Project + "/.env")]
    [InlineData("Read(~/.config/secret/**)", Home + "/.config/secret")]
    [InlineData("Read(//srv/keys)", "/srv/keys")]
    public void A_read_deny_rule_without_wildcards_is_a_fixed_hidden_path(string rule, string path)
    {
        var hidden = For(deny: [rule]);

        Assert.Contains(path, hidden.Paths);
        Assert.Empty(hidden.Patterns);
    }

    [Theory]
    [InlineData("Read(**/.env)")]
    [InlineData("Read(.env)")]
    [InlineData("Read(*.pem)")]
    [InlineData("Read(~/**/*.key)")]
    public void A_read_deny_rule_with_wildcards_is_resolved_when_a_command_starts(string rule)
    {
        var hidden = For(deny: [rule]);

        Assert.Single(hidden.Patterns);
        Assert.DoesNotContain(hidden.Paths, p => p.Contains('*'));
    }

    [Fact]
    public void An_allow_rule_naming_a_sensitive_path_itself_uncovers_it_whole()
    {
        var hidden = For(allow: ["Read(~/.ssh/**)"]);

        Assert.DoesNotContain($"{Home}/.ssh", hidden.Paths);
        Assert.Contains($"{Home}/.aws", hidden.Paths);
    }

    [Fact]
    public void An_allow_rule_naming_a_file_inside_uncovers_only_that_file()
    {
        var hidden = For(allow: ["Read(~/.ssh/known_hosts)"]);

        Assert.Contains($"{Home}/.ssh", hidden.Paths);
        Assert.Equal([$"{Home}/.ssh/known_hosts"], hidden.ExposedPaths.ToArray());
    }

    [Fact]
    public void An_allow_glob_inside_a_sensitive_directory_is_an_exposed_pattern()
    {
        var hidden = For(allow: ["Read(~/.ssh/*.pub)"]);

        Assert.Contains($"{Home}/.ssh", hidden.Paths);
        Assert.Single(hidden.ExposedPatterns);
    }

    [Theory]
    [InlineData("Read(**)")]
    [InlineData("Read(~/**)")]
    [InlineData("Read(//**)")]
    [InlineData("Read(**/.ssh/**)")]
    [InlineData("Read")]
    public void A_bare_or_wide_wildcard_never_uncovers_a_sensitive_path(string rule)
    {
        var hidden = For(allow: [rule]);

        Assert.Contains($"{Home}/.ssh", hidden.Paths);
        Assert.Contains("/etc/shadow", hidden.Paths);
        Assert.Empty(hidden.ExposedPaths);
    }

    [Fact]
    public void A_deny_rule_beats_an_allow_rule_that_would_uncover()
    {
        var hidden = For(deny: ["Read(~/.ssh/known_hosts)", "Read(~/.aws/**)"], allow: ["Read(~/.ssh/known_hosts)", "Read(~/.aws/**)"]);

        Assert.Empty(hidden.ExposedPaths);
        Assert.Contains($"{Home}/.aws", hidden.Paths);
    }
}
