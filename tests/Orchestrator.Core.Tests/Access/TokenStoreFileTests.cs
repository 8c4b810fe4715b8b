using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Access;

public sealed class TokenStoreFileTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("orchestrator-tokens-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string Add(string name, Role role = Role.Operator, string? agent = null)
    {
        var secret = TokenSecret.Generate();
        var error = TokenStoreFile.Update(_data, book =>
        {
            var (next, problem) = book.Add(new TokenRecord(name, role, agent is null ? null : new AgentId(agent), TokenSecret.Hash(secret), DateTimeOffset.UtcNow));
            return (next, problem);
        });
        Assert.Null(error);
        return secret;
    }

    [Fact]
    public void The_file_is_0600_and_holds_hashes_never_the_secret()
    {
        var secret = Add("alice", Role.Agent, "alice");

        var path = TokenStoreFile.PathIn(_data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain(secret[4..20], text);
        Assert.Contains(TokenSecret.Hash(secret), text);
        Assert.Equal("alice", TokenStoreFile.Load(_data).Find(secret)?.Name);
    }

    [Fact]
    public void Concurrent_writers_lose_no_token()
    {
        var secrets = new string[40];
        Parallel.For(0, secrets.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => secrets[i] = Add($"op-{i}"));

        var book = TokenStoreFile.Load(_data);
        Assert.Equal(secrets.Length, book.Records.Length);
        Assert.All(secrets, s => Assert.NotNull(book.Find(s)));
        Assert.Empty(Directory.GetFiles(_data, "*.tmp"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("{\"version\":2,\"tokens\":[]}")]
    [InlineData("{\"version\":1,\"tokens\":[{\"name\":\"x\",\"role\":\"root\",\"sha256\":\"00\"}]}")]
    public void A_damaged_file_is_an_error_naming_it_never_an_empty_book(string content)
    {
        File.WriteAllText(TokenStoreFile.PathIn(_data), content);

        var error = Assert.Throws<InvalidDataException>(() => TokenStoreFile.Load(_data));
        Assert.Contains(TokenStoreFile.PathIn(_data), error.Message);
    }

    [Fact]
    public void No_file_is_an_empty_book_and_the_server_secret_is_0600_and_stable()
    {
        Assert.True(TokenStoreFile.Load(_data).IsEmpty);

        var hash = ServerSecret.EnsureHash(_data);
        Assert.Equal(hash, ServerSecret.EnsureHash(_data));
        Assert.Equal(hash, TokenSecret.Hash(ServerSecret.Read(_data)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ServerSecret.PathIn(_data)));
    }
}
