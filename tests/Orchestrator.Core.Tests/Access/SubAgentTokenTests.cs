using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Access;

/// <summary>Agent teams: which agents may name a session of another agent as their parent, as the token book says.</summary>
public sealed class SubAgentTokenTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private readonly string _data = Directory.CreateTempSubdirectory("orchestrator-subagents-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static TokenRecord Agent(string name, string agent, params string[] subAgents) =>
        new(name, Role.Agent, new AgentId(agent), TokenSecret.Hash(TokenSecret.Generate()), At) { SubAgents = [.. subAgents.Select(a => new AgentId(a))] };

    private static TokenBook Book(params TokenRecord[] records)
    {
        var book = TokenBook.Empty;
        foreach (var record in records)
        {
            var (next, error) = book.Add(record);
            Assert.Null(error);
            book = next;
        }
        return book;
    }

    [Fact]
    public void An_agent_joins_its_own_team_and_a_declared_sub_agent_joins_but_nobody_else_does()
    {
        var book = Book(Agent("lead", "lead", "helper"), Agent("helper", "helper"), Agent("mallory", "mallory"));

        Assert.True(book.MayJoinTeamOf(new AgentId("lead"), new AgentId("lead")));
        Assert.True(book.MayJoinTeamOf(new AgentId("helper"), new AgentId("lead")));
        Assert.False(book.MayJoinTeamOf(new AgentId("mallory"), new AgentId("lead")));
        // Declaring is one way: the lead is not the helper's sub-agent.
        Assert.False(book.MayJoinTeamOf(new AgentId("lead"), new AgentId("helper")));
    }

    [Fact]
    public void A_sub_agent_declared_by_a_revoked_token_no_longer_joins()
    {
        var (book, _) = Book(Agent("lead", "lead", "helper")).Revoke("lead");

        Assert.False(book.MayJoinTeamOf(new AgentId("helper"), new AgentId("lead")));
    }

    [Fact]
    public void Only_agent_tokens_declare_sub_agents_and_each_is_a_valid_agent_id()
    {
        var op = new TokenRecord("op", Role.Operator, null, TokenSecret.Hash("x"), At) { SubAgents = [new AgentId("helper")] };
        Assert.Contains("only agent tokens", TokenBook.Empty.Add(op).Error);
        Assert.Contains("sub-agent id", TokenBook.Empty.Add(Agent("lead", "lead", "bad/id")).Error);
    }

    [Fact]
    public void Sub_agents_survive_the_token_file_and_a_file_without_them_reads_as_none()
    {
        Assert.Null(TokenStoreFile.Update(_data, book => book.Add(Agent("lead", "lead", "helper", "reviewer"))));
        Assert.Null(TokenStoreFile.Update(_data, book => book.Add(Agent("solo", "solo"))));

        var back = TokenStoreFile.Load(_data);

        Assert.Equal(["helper", "reviewer"], back.Records.Single(r => r.Name == "lead").SubAgents.Select(a => a.Value));
        Assert.Empty(back.Records.Single(r => r.Name == "solo").SubAgents);
        Assert.DoesNotContain("subAgents\": null", File.ReadAllText(TokenStoreFile.PathIn(_data)));
    }
}
