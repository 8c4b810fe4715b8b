using System.Net;
using System.Net.Http.Json;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Tests;

/// <summary>Without tokens: one local user, proven by the server secret in the data directory; nothing else answers approvals.</summary>
public sealed class LocalModeSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(git push)"] },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_caller_without_the_secret_submits_but_cannot_read_or_answer_approvals()
    {
        using var caller = _host.ClientWith(null);
        var submitted = await caller.PostAsJsonAsync("/v1/calls", _host.Bash("git push", id: "local-ask", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var approval = (await ServerHost.JsonOf(submitted)).GetProperty("pendingApproval").GetProperty("approvalId").GetString();

        var list = await caller.GetAsync("/v1/approvals");
        var answer = await caller.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", scope = "always", answeredBy = "local" });
        using var guessing = _host.ClientWith(TokenSecret.Generate());
        var guessed = await guessing.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Contains("server's secret", (await ServerHost.JsonOf(list)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
        Assert.Equal("awaiting-approval", (await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/local-ask"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_local_user_with_the_secret_answers_its_own_call()
    {
        var submitted = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("git push", id: "own-ask", intent: "execute"));
        var approval = (await ServerHost.JsonOf(submitted)).GetProperty("pendingApproval").GetProperty("approvalId").GetString();

        var answer = await _host.Client.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("local", (await ServerHost.JsonOf(answer)).GetProperty("answer").GetProperty("answeredBy").GetString());
    }

    [Fact]
    public void The_server_secret_is_private_to_its_owner()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ServerSecret.PathIn(_host.DataDirectory)));
    }

    [Fact]
    public void A_server_reachable_from_other_machines_without_tokens_is_refused()
    {
        var root = Directory.CreateTempSubdirectory("orchestrator-bind-").FullName;
        try
        {
            var options = new ServerOptions(new Core.Policy.PolicyLoadOptions(root) { HomeDirectory = root, ManagedSettingsPath = null, UserSettingsPath = null })
            {
                Port = 0,
                BindAddress = IPAddress.Any,
                DataDirectory = Path.Combine(root, "data"),
            };

            var refused = Assert.Throws<Orchestrator.Actors.Storage.StartupRefusedException>(() => OrchestratorServer.BuildApp(options));
            Assert.Contains("without tokens", refused.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
