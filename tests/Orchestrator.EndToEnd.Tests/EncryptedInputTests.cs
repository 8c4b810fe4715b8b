using System.Diagnostics;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The journal shows a call's secrets masked but keeps its real input encrypted (DATA/input.key): a call awaiting
/// approval when the server was killed runs, once approved after the restart, exactly what was submitted.
/// </summary>
public sealed class EncryptedInputTests : IDisposable
{
    private const string Secret = "abc123secretvalue";
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    [Fact]
    public async Task A_call_with_a_masked_secret_approved_after_a_restart_runs_its_real_input()
    {
        string approvalId;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", new
            {
                id = "secret-1", agentId = "agent-1", sessionId = "secrets", tool = "Bash",
                input = new Dictionary<string, string> { ["command"] = $"printf '%s' \"API_TOKEN={Secret}\" > token.txt" },
                cwd = _setup.Project, intent = "execute", wait = 0,
            });
            Assert.True(status == 202, $"{status} {body}");
            approvalId = body.GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
            server.Kill();
        }
        Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(Path.Combine(_setup.Data, "orchestrator.db")) +
            (File.Exists(Path.Combine(_setup.Data, "orchestrator.db-wal")) ? await ReadSharedAsync(Path.Combine(_setup.Data, "orchestrator.db-wal")) : ""),
            StringComparison.Ordinal);

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var cli = new ProcessStartInfo(ServerProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "approvals", "approve", approvalId, "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator] }) cli.ArgumentList.Add(arg);
            using var approve = Process.Start(cli)!;
            var said = await approve.StandardError.ReadToEndAsync() + await approve.StandardOutput.ReadToEndAsync();
            await approve.WaitForExitAsync();
            Assert.True(approve.ExitCode == 0, said);

            var token = Path.Combine(_setup.Project, "token.txt");
            await Poll.UntilAsync(() => File.Exists(token), exists => exists, "the approved call writing token.txt", TimeSpan.FromSeconds(60),
                () => server.Log);
        }
        Assert.Equal($"API_TOKEN={Secret}", await File.ReadAllTextAsync(Path.Combine(_setup.Project, "token.txt")));
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public void Dispose() => _setup.Dispose();
}
