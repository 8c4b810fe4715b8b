using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Tests.Policy;

public class RuleParserTests
{
    private static readonly RuleOrigin Origin = new(SettingsLayer.Project, new SourceLocation("s.json", 1, 1));
    private static readonly RuleContext Context = new("/proj/.orchestrator", "/proj", "/home/u");

    private static RuleParser.Result Parse(string text) => RuleParser.Parse(text, RuleDecision.Allow, Origin, Context);

    [Fact]
    public void Bare_tool_covers_every_call()
    {
        var rule = Parse("Bash").Rule!;
        Assert.Equal("Bash", rule.Tool);
        Assert.IsType<AnySubject>(rule.Specifier);
    }

    [Fact]
    public void Bash_specifier_becomes_a_command_pattern() =>
        Assert.IsType<BashSubject>(Parse("Bash(npm run test:*)").Rule!.Specifier);

    [Fact]
    public void Bash_star_is_the_same_as_bare_bash() =>
        Assert.IsType<AnySubject>(Parse("Bash(*)").Rule!.Specifier);

    [Fact]
    public void Read_specifier_is_a_path_pattern_anchored_per_claude_code()
    {
        var rule = Parse("Read(./.env)").Rule!;
        var path = Assert.IsType<PathSubject>(rule.Specifier);
        Assert.True(path.Pattern.Matches("/proj/.env"));
        Assert.False(path.Pattern.Matches("/other/.env"));
        Assert.True(((PathSubject)Parse("Edit(//etc/**)").Rule!.Specifier).Pattern.Matches("/etc/passwd"));
        Assert.True(((PathSubject)Parse("Read(~/.ssh/**)").Rule!.Specifier).Pattern.Matches("/home/u/.ssh/id_rsa"));
        Assert.True(((PathSubject)Parse("Edit(/docs/**)").Rule!.Specifier).Pattern.Matches("/proj/.orchestrator/docs/a.md"));
    }

    [Fact]
    public void WebFetch_takes_a_domain()
    {
        var d = Assert.IsType<DomainSubject>(Parse("WebFetch(domain:example.com)").Rule!.Specifier);
        Assert.True(d.Matches("EXAMPLE.com"));
        Assert.False(d.Matches("evil-example.com"));
        var sub = Assert.IsType<DomainSubject>(Parse("WebFetch(domain:*.example.com)").Rule!.Specifier);
        Assert.True(sub.Matches("api.example.com"));
        Assert.False(sub.Matches("example.com"));
        Assert.False(sub.Matches("badexample.com"));
    }

    [Fact]
    public void Mcp_server_rule_covers_every_tool_of_that_server_only()
    {
        var server = Parse("mcp__github").Rule!;
        Assert.True(server.AppliesToTool("mcp__github__create_issue"));
        Assert.False(server.AppliesToTool("mcp__githubx__create_issue"));
        var star = Parse("mcp__github__*").Rule!;
        Assert.True(star.AppliesToTool("mcp__github__list"));
        var one = Parse("mcp__github__create_issue").Rule!;
        Assert.True(one.AppliesToTool("mcp__github__create_issue"));
        Assert.False(one.AppliesToTool("mcp__github__delete_repo"));
    }

    [Fact]
    public void Read_rules_cover_glob_and_grep_and_edit_rules_cover_write()
    {
        Assert.True(Parse("Read").Rule!.AppliesToTool("Grep"));
        Assert.True(Parse("Edit").Rule!.AppliesToTool("Write"));
        Assert.True(Parse("Write").Rule!.AppliesToTool("Edit"));
        Assert.False(Parse("Read").Rule!.AppliesToTool("Edit"));
    }

    [Theory]
    [InlineData("", "empty rule")]
    [InlineData("Bash(ls", "closing ')'")]
    [InlineData("Bash()", "empty specifier")]
    [InlineData("WebFetch(example.com)", "domain:")]
    [InlineData("WebFetch(domain:exa mple.com)", "invalid domain")]
    [InlineData("mcp__github(x)", "no specifier")]
    [InlineData("Ba sh(ls)", "invalid character")]
    [InlineData("Read([ab)", "invalid path pattern")]
    [InlineData("(ls)", "no tool name")]
    public void Malformed_rule_is_an_error_not_a_rule(string text, string message)
    {
        var result = Parse(text);
        Assert.Null(result.Rule);
        Assert.Contains(message, result.Error);
    }
}
