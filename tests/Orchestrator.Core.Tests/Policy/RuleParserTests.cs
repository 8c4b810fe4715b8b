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
    [InlineData("Bash(ls))", "closes no '('")]
    [InlineData("Bash()", "empty parentheses")]
    [InlineData("Bash( )", "empty parentheses")]
    [InlineData("Bash(:*)", "nothing before ':*'")]
    [InlineData("Bash(npm:* --save)", "':*' must end the pattern")]
    [InlineData("PowerShell(Get-Item:* -Force)", "':*' must end the pattern")]
    [InlineData("Read(src:*)", "only for Bash prefix rules")]
    [InlineData("WebFetch(example.com)", "domain:")]
    [InlineData("WebFetch(domain:exa mple.com)", "invalid domain")]
    [InlineData("WebSearch(claude*)", "no '*' or '?'")]
    [InlineData("mcp__github(x)", "no specifier")]
    [InlineData("Read([ab)", "invalid path pattern")]
    [InlineData("(ls)", "no tool name")]
    public void Malformed_rule_is_a_problem_not_a_rule(string text, string message)
    {
        var result = Parse(text);
        Assert.Null(result.Rule);
        Assert.Equal(RuleProblem.Malformed, result.Problem);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData("Bash(rm -r /)*", "did you mean \"Bash(rm -r /*)\"", 13)]
    [InlineData("Bash(git push) --force", "did you mean \"Bash(git push --force)\"", 14)]
    [InlineData("Bash (ls)", "did you mean 'Bash'", 0)]
    [InlineData("Ba sh(ls)", "contains ' '", 0)]
    [InlineData("Bash*", "only a wildcard as mcp__server__*", 0)]
    [InlineData("1Bash", "must start with a letter", 0)]
    public void A_rule_claude_code_reads_as_never_matching_says_why_and_where(string text, string message, int offset)
    {
        var result = Parse(text);
        Assert.Null(result.Rule);
        Assert.Equal(RuleProblem.NeverMatches, result.Problem);
        Assert.Contains(message, result.Error);
        Assert.Equal(offset, result.ErrorOffset);
    }

    [Fact]
    public void Escaped_parentheses_belong_to_the_pattern_as_in_claude_code()
    {
        var rule = Parse(@"Bash(echo \(hi\))").Rule!;
        Assert.True(((BashSubject)rule.Specifier).Pattern.Matches("echo (hi)"));
        Assert.True(((BashSubject)Parse("Bash(echo $(date))").Rule!.Specifier).Pattern.Matches("echo $(date)"));
    }

    [Theory]
    [InlineData("Skill")]
    [InlineData("Skill(deploy)")]
    [InlineData("Agent(Explore)")]
    [InlineData("Task")]
    [InlineData("SlashCommand(/review)")]
    [InlineData("PowerShell(Get-ChildItem *)")]
    [InlineData("ExitPlanMode")]
    [InlineData("TodoWrite")]
    [InlineData("BashOutput")]
    [InlineData("KillShell")]
    [InlineData("KillBash")]
    [InlineData("TaskOutput")]
    [InlineData("TaskStop")]
    [InlineData("NotebookEdit(*.ipynb)")]
    [InlineData("ListMcpResourcesTool")]
    [InlineData("ReadMcpResourceTool")]
    [InlineData("LS")]
    [InlineData("AskUserQuestion")]
    [InlineData("WebSearch(dotnet 10 release notes)")]
    public void Current_and_legacy_claude_code_tools_are_known(string text)
    {
        var rule = Parse(text).Rule!;
        Assert.True(RuleParser.IsKnownTool(rule.Tool), rule.Tool);
    }

    [Theory]
    [InlineData("Task", "Agent")]
    [InlineData("Agent", "Task")]
    [InlineData("KillShell", "TaskStop")]
    [InlineData("BashOutput", "TaskOutput")]
    public void A_legacy_tool_name_and_todays_name_cover_each_other(string ruleTool, string callTool) =>
        Assert.True(Parse(ruleTool).Rule!.AppliesToTool(callTool));

    [Fact]
    public void PowerShell_prefix_rules_read_broadly_when_they_restrict_and_narrowly_when_they_allow()
    {
        var deny = RuleParser.Parse("PowerShell(Remove-Item:*)", RuleDecision.Deny, Origin, Context).Rule!;
        Assert.Equal("Remove-Item*", Assert.IsType<GenericSubject>(deny.Specifier).Pattern);
        var allow = RuleParser.Parse("PowerShell(Get-ChildItem *)", RuleDecision.Allow, Origin, Context).Rule!;
        Assert.Equal("Get-ChildItem *", Assert.IsType<GenericSubject>(allow.Specifier).Pattern);
        Assert.IsType<AnySubject>(Parse("PowerShell(*)").Rule!.Specifier);
    }
}
