using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Access;

public class TokenBookTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static TokenRecord Record(string name, Role role, string? agent, string token) =>
        new(name, role, agent is null ? null : new AgentId(agent), TokenSecret.Hash(token), At);

    [Fact]
    public void A_generated_token_is_prefixed_base64url_of_32_bytes_and_never_repeats()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => TokenSecret.Generate()).ToList();

        Assert.All(tokens, t => Assert.Matches("^orc_[A-Za-z0-9_-]{43}$", t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void A_token_is_found_by_its_secret_and_not_by_its_hash_or_a_near_miss()
    {
        var secret = TokenSecret.Generate();
        var (book, error) = TokenBook.Empty.Add(Record("alice", Role.Agent, "alice", secret));
        Assert.Null(error);

        Assert.Equal("alice", book.Find(secret)?.Name);
        Assert.Null(book.Find(TokenSecret.Hash(secret)));
        Assert.Null(book.Find(secret[..^1]));
        Assert.Null(book.Find(secret + "x"));
    }

    [Theory]
    [InlineData("alice", Role.Agent, null, "needs --agent")]
    [InlineData("op", Role.Operator, "alice", "only agent tokens")]
    [InlineData("", Role.Admin, null, "token name")]
    [InlineData("a/b", Role.Admin, null, "token name")]
    [InlineData("..", Role.Admin, null, "token name")]
    [InlineData("bad\u202Ename", Role.Admin, null, "token name")]
    [InlineData("alice", Role.Agent, "a/b", "agent id")]
    public void A_record_that_cannot_be_right_is_refused_with_a_reason(string name, Role role, string? agent, string reason)
    {
        var (book, error) = TokenBook.Empty.Add(Record(name, role, agent, "x"));

        Assert.Contains(reason, error);
        Assert.True(book.IsEmpty);
    }

    [Fact]
    public void Names_are_unique_and_a_revoked_token_no_longer_authenticates()
    {
        var (book, _) = TokenBook.Empty.Add(Record("op", Role.Operator, null, "one"));
        var (same, duplicate) = book.Add(Record("op", Role.Admin, null, "two"));
        Assert.Contains("already exists", duplicate);
        Assert.Same(book, same);

        var (after, revoked) = book.Revoke("op");
        Assert.Equal("op", revoked?.Name);
        Assert.Null(after.Find("one"));
        Assert.Null(after.Revoke("op").Revoked);
    }
}
