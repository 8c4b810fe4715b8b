namespace Orchestrator.Cli.Tests;

/// <summary>The commands that talk to a running server, when there is none or the input is bad (the happy paths run end to end).</summary>
public sealed class ServerClientCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Approvals_list_without_a_server_says_so_in_one_line_and_exits_1()
    {
        var result = _cli.Run(["approvals", "list", "--server", "http://127.0.0.1:1"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot reach the server at http://127.0.0.1:1", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--limit", "5000", "--limit must be 1-1000, not '5000'")]
    [InlineData("--cursor", "12", "--cursor must be the 'next' of a previous page, not '12'")]
    [InlineData("--session-prefix", "lt run", "--session-prefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+0020 at position 3")]
    public void Approvals_list_with_a_bad_page_or_filter_option_is_bad_input_before_asking_any_server(string option, string value, string error)
    {
        var result = _cli.Run(["approvals", "list", option, value, "--server", "http://127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(error, result.Stderr);
    }

    [Fact]
    public void Approving_with_an_unknown_scope_is_bad_input()
    {
        var result = _cli.Run(["approvals", "approve", "abc", "--scope", "forever", "--server", "http://127.0.0.1:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--scope must be once, session, always or team", result.Stderr);
    }

    [Fact]
    public void A_server_url_that_is_not_http_is_bad_input()
    {
        var result = _cli.Run(["history", "call-1", "--server", "ftp://example.com"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--server must be an http(s) URL", result.Stderr);
    }
}
