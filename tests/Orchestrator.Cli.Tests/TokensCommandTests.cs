using Orchestrator.Core.Access;

namespace Orchestrator.Cli.Tests;

public sealed class TokensCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Data => Path.Combine(_cli.Root, "data");

    private CliRunner.Result Run(params string[] args) => _cli.Run(args);

    [Fact]
    public void Add_prints_the_token_as_the_last_line_and_stores_only_its_hash_in_a_0600_file()
    {
        var result = Run("tokens", "add", "--data", Data, "--role", "agent", "--name", "alice", "--agent", "agent-7");

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = result.Stdout.TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith(TokenSecret.Prefix, token);
        var file = TokenStoreFile.PathIn(Data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var text = File.ReadAllText(file);
        Assert.DoesNotContain(token, text);
        Assert.Contains(TokenSecret.Hash(token), text);
        var record = TokenStoreFile.Load(Data).Find(token);
        Assert.Equal(("alice", Role.Agent, "agent-7"), (record?.Name, record?.Role, record?.Agent?.Value));
    }

    [Fact]
    public void List_shows_names_and_roles_never_secrets_and_revoke_removes_one()
    {
        var op = Run("tokens", "add", "--data", Data, "--role", "operator", "--name", "op").Stdout.TrimEnd('\n').Split('\n')[^1];
        Run("tokens", "add", "--data", Data, "--role", "admin", "--name", "root");

        var list = Run("tokens", "list", "--data", Data);
        Assert.Contains("op (operator)", list.Stdout);
        Assert.Contains("root (admin)", list.Stdout);
        Assert.DoesNotContain(op, list.Stdout);
        Assert.DoesNotContain(TokenSecret.Hash(op), list.Stdout);

        Assert.Equal(0, Run("tokens", "revoke", "op", "--data", Data).ExitCode);
        Assert.Null(TokenStoreFile.Load(Data).Find(op));
        Assert.Equal(1, Run("tokens", "revoke", "op", "--data", Data).ExitCode);
    }

    [Theory]
    [InlineData("--role", "root", "--name", "x")]
    [InlineData("--role", "agent", "--name", "x")]
    [InlineData("--role", "operator", "--name", "x", "--agent", "a")]
    [InlineData("--role", "admin", "--name", "a/b")]
    public void A_token_that_cannot_be_right_is_refused_with_one_line_and_nothing_is_written(params string[] args)
    {
        var result = Run(["tokens", "add", "--data", Data, .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.True(TokenStoreFile.Load(Data).IsEmpty);
    }

    [Fact]
    public void A_duplicate_name_is_refused()
    {
        Assert.Equal(0, Run("tokens", "add", "--data", Data, "--role", "admin", "--name", "root").ExitCode);

        var again = Run("tokens", "add", "--data", Data, "--role", "admin", "--name", "root");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        Assert.Single(TokenStoreFile.Load(Data).Records);
    }

    [Fact]
    public void A_damaged_token_file_is_named_and_not_overwritten()
    {
        Directory.CreateDirectory(Data);
        File.WriteAllText(TokenStoreFile.PathIn(Data), "{ damaged");

        var result = Run("tokens", "add", "--data", Data, "--role", "admin", "--name", "root");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(TokenStoreFile.PathIn(Data), result.Stderr);
        Assert.Equal("{ damaged", File.ReadAllText(TokenStoreFile.PathIn(Data)));
    }
}
