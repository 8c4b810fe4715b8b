namespace Orchestrator.EndToEnd.Tests;

/// <summary>The CLI finds its credential: --token, ORCHESTRATOR_TOKEN, or (no tokens) the server secret in --data.</summary>
public sealed class CliCredentialTests
{
    [Fact]
    public async Task Without_tokens_the_cli_is_the_local_user_through_the_data_directory_and_nothing_else_is()
    {
        using var setup = new ServerSetup(Backend.Sqlite) { UseTokens = false };
        await using var server = await ServerProcess.StartAsync(setup);
        var url = server.Url.ToString();

        var local = CliProcess.Run("approvals", "list", "--server", url, "--data", setup.Data);
        var elsewhere = CliProcess.Run("approvals", "list", "--server", url, "--data", Path.Combine(setup.Root, "not-the-data"));

        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("no pending approvals", local.Stdout);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("server's secret", elsewhere.Stderr);
        Assert.Contains("WITHOUT AUTHENTICATION", server.Log);
    }

    [Fact]
    public async Task With_tokens_the_cli_sends_the_token_from_the_option_or_the_environment()
    {
        using var setup = new ServerSetup(Backend.Sqlite);
        await using var server = await ServerProcess.StartAsync(setup);
        var url = server.Url.ToString();

        var byOption = CliProcess.Run("approvals", "list", "--server", url, "--token", setup.Tokens[ServerSetup.Operator]);
        var byEnvironment = CliProcess.Run(new Dictionary<string, string> { ["ORCHESTRATOR_TOKEN"] = setup.Tokens[ServerSetup.Operator] },
            "approvals", "list", "--server", url);
        var agent = CliProcess.Run("approvals", "list", "--server", url, "--token", setup.Tokens[ServerSetup.Agent]);
        var none = CliProcess.Run("approvals", "list", "--server", url, "--data", setup.Data);

        Assert.True(byOption.ExitCode == 0, byOption.ToString());
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.ToString());
        Assert.Equal(1, agent.ExitCode);
        Assert.Contains("needs an operator", agent.Stderr);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("bearer token", none.Stderr);
        Assert.DoesNotContain("WITHOUT AUTHENTICATION", server.Log);
    }
}
