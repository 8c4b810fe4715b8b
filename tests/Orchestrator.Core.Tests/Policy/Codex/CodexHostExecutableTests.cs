using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexHostExecutableTests
{
    private static CodexRulesFile Parse(string text) => CodexRulesParser.Parse(text, "policy.rules", "/home/u");

    private static string SingleError(string text) => Assert.Single(Parse(text).Errors).ToString();

    [Fact]
    public void Reads_name_and_paths_resolving_home_and_dropping_duplicates()
    {
        var file = Parse("""
            host_executable(
                name = "az",
                paths = ["~/.openai/bin/az", "/usr/bin/az", "/usr/bin/../bin/az"],
            )
            """);
        Assert.Empty(file.Errors);
        var host = Assert.Single(file.HostExecutables);
        Assert.Equal("az", host.Name);
        Assert.Equal(["/home/u/.openai/bin/az", "/usr/bin/az"], host.Paths);
        Assert.Equal(new SourceLocation("policy.rules", 1, 1), host.Location);
    }

    [Theory]
    [InlineData("host_executable(name = \"\", paths = [])", "policy.rules:1:24: invalid rule: host_executable name cannot be empty")]
    [InlineData("host_executable(name = \"bin/git\", paths = [])", "policy.rules:1:24: invalid rule: host_executable name must be a bare executable name (got bin/git)")]
    [InlineData("host_executable(name = \"git\", paths = [\"bin/git\"])", "policy.rules:1:40: invalid rule: host_executable paths must be absolute or use `~/...` home-relative syntax (got bin/git): path is not absolute: bin/git")]
    [InlineData("host_executable(name = \"git\", paths = [\"/usr/bin/gitk\"])", "policy.rules:1:40: invalid rule: host_executable path `/usr/bin/gitk` must have basename `git`")]
    [InlineData("host_executable(name = \"git\", paths = [42])", "policy.rules:1:40: invalid rule: host_executable paths must be strings (got int)")]
    [InlineData("host_executable(name = \"git\", paths = \"/usr/bin/git\")", "policy.rules:1:39: paths must be a list; found string \"/usr/bin/git\"")]
    [InlineData("host_executable(name = \"git\")", "policy.rules:1:1: host_executable is missing required argument \"paths\"")]
    [InlineData("host_executable(name = \"git\", paths = [], decision = \"allow\")", "policy.rules:1:43: unknown keyword argument \"decision\" to host_executable; expected one of name, paths")]
    public void Invalid_forms_are_reported_with_codexs_messages_at_their_position(string text, string expected) =>
        Assert.Equal(expected, SingleError(text));

    [Fact]
    public void An_absolute_path_example_matches_a_rule_for_its_program_only_at_a_listed_path()
    {
        var file = Parse("""
            prefix_rule(
                pattern = ["git", "status"],
                match = ["/usr/bin/git status"],
                not_match = ["/tmp/evil/git status"],
            )
            host_executable(name = "git", paths = ["/usr/bin/git"])
            """);
        Assert.Empty(file.Errors);
        Assert.Single(file.Rules);
    }

    [Fact]
    public void Without_a_host_executable_entry_codex_lets_any_absolute_path_match_an_example()
    {
        var file = Parse("""
            prefix_rule(
                pattern = ["git", "status"],
                not_match = ["/tmp/evil/git status"],
            )
            """);
        Assert.Equal(
            "policy.rules:3:18: not_match example \"/tmp/evil/git status\" matches prefix_rule(pattern=[\"git\", \"status\"], decision=\"allow\")",
            Assert.Single(file.Errors).ToString());
    }

    [Fact]
    public void Applying_entries_extends_the_first_position_with_the_listed_paths_only()
    {
        var file = Parse("""
            prefix_rule(pattern = [["git", "hg"], "status"])
            host_executable(name = "git", paths = ["/usr/bin/git", "/opt/homebrew/bin/git"])
            """);
        var hosts = CodexHostExecutables.Of(file.HostExecutables);
        var rule = hosts.Apply(Assert.Single(file.Rules))!;
        Assert.True(rule.Matches(["/usr/bin/git", "status"]));
        Assert.True(rule.Matches(["/opt/homebrew/bin/git", "status"]));
        Assert.True(rule.Matches(["hg", "status"]));
        Assert.False(rule.Matches(["/usr/local/bin/git", "status"]));
        Assert.False(rule.Matches(["/usr/bin/hg", "status"]));
        Assert.Null(hosts.Apply(CodexPrefixRule.Create([["make"]], CodexDecision.Allow, null, new SourceLocation("x", 1, 1))));
    }

    [Fact]
    public void A_later_entry_for_a_name_replaces_an_earlier_one()
    {
        var file = Parse("""
            host_executable(name = "git", paths = ["/usr/bin/git"])
            host_executable(name = "git", paths = ["/opt/git/bin/git"])
            prefix_rule(pattern = ["git"], match = ["/opt/git/bin/git log"], not_match = ["/usr/bin/git log"])
            """);
        Assert.Empty(file.Errors);
    }
}
