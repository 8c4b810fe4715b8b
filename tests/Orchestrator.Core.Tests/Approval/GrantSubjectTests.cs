using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Approval;

public class GrantSubjectTests
{
    private static ToolCall Call(string tool, string key, string value) =>
        new(new CallId("c"), tool, ImmutableDictionary<string, string>.Empty.Add(key, value), "/w", new AgentId("a"), new SessionId("s"));

    [Fact]
    public void A_bash_subject_is_the_trimmed_command()
    {
        var subject = GrantSubject.From(Call(ToolNames.Bash, ToolInputKeys.Command, "  npm test  "));

        Assert.Equal("npm test", subject.Subject);
        Assert.Equal("Bash(npm test)", subject.RuleText);
    }

    [Fact]
    public void A_file_tool_subject_is_its_path()
    {
        Assert.Equal("Edit(src/app.cs)", GrantSubject.From(Call(ToolNames.Edit, ToolInputKeys.FilePath, "src/app.cs")).RuleText);
        Assert.Equal("Read(.env)", GrantSubject.From(Call(ToolNames.Read, ToolInputKeys.FilePath, ".env")).RuleText);
    }

    [Fact]
    public void A_web_fetch_subject_is_the_host_as_a_domain_rule()
    {
        var subject = GrantSubject.From(Call(ToolNames.WebFetch, ToolInputKeys.Url, "https://docs.example.com/a?b=c"));

        Assert.Equal("docs.example.com", subject.Subject);
        Assert.Equal("WebFetch(domain:docs.example.com)", subject.RuleText);
    }

    [Fact]
    public void An_mcp_tool_is_granted_as_a_whole()
    {
        var subject = GrantSubject.From(Call("mcp__github__create_issue", "title", "bug"));

        Assert.Equal("", subject.Subject);
        Assert.Equal("mcp__github__create_issue", subject.RuleText);
    }
}
