using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Linux;
using Orchestrator.Sandbox.Tests.Process;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// bubblewrap runs as the leader of a process group of its own, so the kill of a run cut short (SIGKILL to the group)
/// reaches the child bubblewrap forks first: killed alone while that child still waited for its go-ahead, bubblewrap
/// left it waiting forever (seen after test runs: <c>bwrap … bash -c true</c> with parent 1, blocked reading an eventfd).
/// </summary>
public sealed class BubblewrapProcessGroupTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("orchestrator-bwrap-group-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task Bubblewrap_leads_its_own_process_group_and_a_cancelled_run_leaves_nothing_behind()
    {
        Assert.True(SandboxRunner.Unavailable(SandboxVariant.BubblewrapAsRoot) is null, SandboxRunner.Unavailable(SandboxVariant.BubblewrapAsRoot));
        var sandbox = new LinuxSandbox(SandboxTools.Discover());
        Assert.Equal("linux-bwrap", sandbox.Kind);
        var marker = $"3600.{Random.Shared.Next(100_000, 999_999)}"; // a sleep no other process runs
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, WritableRoots = [_workspace] };
        using var cancel = new CancellationTokenSource();

        var run = sandbox.RunAsync(new CommandRequest("/bin/sleep", [marker], _workspace), profile, cancel.Token);
        Assert.True(await Probe.UntilAsync(() => Running(marker).Any(p => p.Command == "/bin/sleep " + marker), TimeSpan.FromSeconds(60)),
            "the sandboxed sleep started");
        var bubblewrap = Assert.Single(Running(marker), p => p.ParentId == Environment.ProcessId);
        Assert.Contains("bwrap", bubblewrap.Command, StringComparison.Ordinal);
        Assert.Equal(bubblewrap.Id, bubblewrap.GroupId);

        await cancel.CancelAsync();
        try { await run; }
        catch (OperationCanceledException) { }
        Assert.True(await Probe.UntilAsync(() => !Running(marker).Any(), TimeSpan.FromSeconds(30)),
            "left behind: " + string.Join("\n", Running(marker).Select(p => p.ToString())));
    }

    private sealed record Proc(int Id, int ParentId, int GroupId, string Command);

    /// <summary>The processes whose command line holds <paramref name="marker"/> (bubblewrap's, the helper's, the command's).</summary>
    private static List<Proc> Running(string marker)
    {
        var found = new List<Proc>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').TrimEnd();
                if (!command.Contains(marker, StringComparison.Ordinal)) continue;
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // state, ppid, pgrp, …
                if (fields[0] == "Z") continue; // exited, not yet reaped by whoever is its parent now
                found.Add(new Proc(pid, int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), command));
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
