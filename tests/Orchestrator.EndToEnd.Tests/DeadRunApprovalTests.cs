using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// An in-process <c>orchestrator run</c> killed (SIGKILL) while its call waits for approval at its terminal: the
/// approval had nobody left to answer it, so whoever next holds the data directory — another <c>run</c> or a
/// <c>serve</c> — denies it, recorded with the reason (the run that asked ended), and the command never runs.
/// </summary>
public sealed class DeadRunApprovalTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    [Theory]
    [InlineData("run")]
    [InlineData("serve")]
    public async Task The_pending_approval_of_a_killed_run_is_denied_with_the_reason_by_the_next_holder_of_the_data_directory(string next)
    {
        var marker = Path.Combine(_setup.Project, "ran");
        var (callId, pid) = await KillRunWaitingForApprovalAsync($"printf hi > {marker}");

        // Disposed as the reader below when it is the next holder.
        var server = next == "run" ? null : await ServerProcess.StartAsync(_setup);
        if (next == "run")
        {
            var again = _setup.Cli("run", "--data", _setup.Data, "--workspace", _setup.Project,
                "--settings", _setup.SettingsFile, "--", "true");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains($"denied the pending approval of call {callId}", again.Stderr);
        }
        else Assert.Contains($"denied the pending approval of call {callId}", server!.Log);

        await using var reader = server ?? await ServerProcess.StartAsync(_setup);
        var (status, call) = await reader.GetAsync($"/v1/calls/{callId}");
        Assert.True(status == 200, $"GET /v1/calls/{callId}: {status}");
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.Equal("approval-denied", call.GetProperty("outcome").GetString());
        var answer = call.GetProperty("answer");
        Assert.False(answer.GetProperty("approved").GetBoolean());
        Assert.Equal("orchestrator", answer.GetProperty("answeredBy").GetString());
        Assert.Contains($"(pid {pid}, started", answer.GetProperty("reason").GetString());
        Assert.Contains("ended before it was answered", answer.GetProperty("reason").GetString());
        Assert.Empty((await reader.GetAsync("/v1/approvals")).Body.GetProperty("approvals").EnumerateArray());
        Assert.False(File.Exists(marker), "the dead run's command ran");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_setup.Data, "runs")));
    }

    /// <summary>Starts <c>run</c> on a terminal (util-linux <c>script</c>), waits for its approval prompt, then SIGKILLs it.</summary>
    private async Task<(string CallId, int Pid)> KillRunWaitingForApprovalAsync(string command)
    {
        string[] argv = [ServerProcess.Executable, "run", "--data", _setup.Data, "--workspace", _setup.Project, "--settings", _setup.SettingsFile, "--", command];
        var info = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, WorkingDirectory = _setup.Project };
        foreach (var arg in new[] { "-qfec", string.Join(' ', argv.Select(a => "'" + a.Replace("'", "'\\''") + "'")), "/dev/null" }) info.ArgumentList.Add(arg);
        info.Environment.Remove("ORCHESTRATOR_TOKEN");
        foreach (var (name, value) in _setup.CliEnvironment()) info.Environment[name] = value;
        using var terminal = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        var buffer = new char[256];
        while (!seen.ToString().Contains("Run it? [y/N]", StringComparison.Ordinal))
        {
            var read = await terminal.StandardOutput.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"run ended before asking: {seen}");
            seen.Append(buffer, 0, read);
        }
        var callId = EntryPointEquivalenceTests.CallIdOf(new CliProcess.Result(-1, "", seen.ToString()));
        var lease = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_setup.Data, "runs", callId + ".json"))).RootElement;
        var pid = lease.GetProperty("processId").GetInt32();
        Process.GetProcessById(pid).Kill();
        await terminal.WaitForExitAsync(timeout.Token);
        return (callId, pid);
    }
}
