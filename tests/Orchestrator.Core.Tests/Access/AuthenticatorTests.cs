using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Access;

public class AuthenticatorTests
{
    private static readonly string Secret = TokenSecret.Generate();
    private static readonly string ServerSecret = TokenSecret.Generate();

    private static TokenBook Book() => TokenBook.Empty.Add(new TokenRecord("alice", Role.Agent, new AgentId("alice"),
        TokenSecret.Hash(Secret), DateTimeOffset.UnixEpoch)).Book;

    [Fact]
    public void With_tokens_a_request_needs_a_valid_bearer_and_gets_the_tokens_principal()
    {
        Assert.Equal("alice", Authenticator.Authenticate($"Bearer {Secret}", Book(), null).Principal?.Name);
        Assert.Equal("alice", Authenticator.Authenticate($"bearer {Secret}", Book(), null).Principal?.Name);
        Assert.Null(Authenticator.Authenticate(null, Book(), null).Principal);
        Assert.Null(Authenticator.Authenticate($"Bearer {TokenSecret.Generate()}", Book(), null).Principal);
        Assert.Null(Authenticator.Authenticate($"Basic {Secret}", Book(), null).Principal);
        Assert.Null(Authenticator.Authenticate("Bearer ", Book(), null).Principal);
    }

    [Fact]
    public void With_tokens_the_server_secret_is_no_credential()
    {
        var (principal, problem) = Authenticator.Authenticate($"Bearer {ServerSecret}", Book(), TokenSecret.Hash(ServerSecret));

        Assert.Null(principal);
        Assert.Contains("not valid", problem);
    }

    [Fact]
    public void Without_tokens_the_server_secret_makes_the_local_user_and_no_credentials_the_local_caller()
    {
        var hash = TokenSecret.Hash(ServerSecret);

        Assert.Same(Principal.LocalUser, Authenticator.Authenticate($"Bearer {ServerSecret}", TokenBook.Empty, hash).Principal);
        Assert.Same(Principal.LocalCaller, Authenticator.Authenticate(null, TokenBook.Empty, hash).Principal);
        Assert.Null(Authenticator.Authenticate("Bearer guessed", TokenBook.Empty, hash).Principal);
        Assert.Null(Authenticator.Authenticate($"Bearer {ServerSecret}", TokenBook.Empty, null).Principal);
    }

    [Fact]
    public void A_server_started_with_tokens_does_not_fall_back_to_local_mode_when_all_are_revoked()
    {
        Assert.Null(Authenticator.Authenticate(null, TokenBook.Empty, null).Principal);
        Assert.Null(Authenticator.Authenticate($"Bearer {Secret}", TokenBook.Empty, null).Principal);
    }
}
