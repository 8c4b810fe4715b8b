using System.Collections.Concurrent;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Issue 8 §4 against a real <c>orchestrator serve</c>: 100 sandboxed calls at once in one workspace, under both
/// layerings (built-in alone, bubblewrap + built-in), with the server as root and as nobody. Every call must run,
/// and a watcher on the host workspace (inotify events and sampling) must see nothing appear but the files the
/// commands wrote — no mount-point stubs, no leftovers; a server killed mid-run must leave nothing behind either.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ParallelWorkspaceTests
{
    private const int Calls = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static TheoryData<string, bool> Variants => new()
    {
        { "built-in", false },
        { "built-in", true },
        { "bubblewrap", false },
        { "bubblewrap", true },
    };

    private static ServerSetup Setup(string layering, bool asNobody)
    {
        Assert.True(File.Exists("/usr/bin/bwrap") || layering == "built-in", "bubblewrap is not installed (ops/setup.sh installs it)");
        Assert.True(!asNobody || System.Environment.UserName == "root", "running the server as nobody needs root (setpriv)");
        var setup = new ServerSetup(Backend.Sqlite) { Approver = "auto-approve", RunAsNobody = asNobody };
        if (layering == "built-in") setup.Environment["ORCHESTRATOR_NO_BWRAP"] = "1";
        // A checkout as agents meet it: a repository, a nested one, editor settings, sources.
        foreach (var dir in new[] { ".git/hooks", "vendor/lib/.git", ".vscode", "src" })
            Directory.CreateDirectory(Path.Combine(setup.Project, dir));
        File.WriteAllText(Path.Combine(setup.Project, ".git/config"), "[core]\n");
        File.WriteAllText(Path.Combine(setup.Project, "src/main.c"), "int main(void) { return 0; }\n");
        if (asNobody)
            foreach (var path in Directory.EnumerateFileSystemEntries(setup.Project, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(path, Directory.Exists(path) ? (UnixFileMode)0x1FF : (UnixFileMode)0x1B6);
        return setup;
    }

    private static object Call(ServerSetup setup, string id, string command, double wait) => new
    {
        id, agentId = $"agent-{id.GetHashCode() & 7}", sessionId = $"session-{id.GetHashCode() & 15}", tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd = setup.Project, intent = "execute", wait,
    };

    private static string Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    [Theory, MemberData(nameof(Variants))]
    public async Task A_hundred_concurrent_calls_in_one_workspace_all_run_and_the_host_sees_only_their_files(string layering, bool asNobody)
    {
        using var setup = Setup(layering, asNobody);
        await using var server = await ServerProcess.StartAsync(setup);
        var before = Entries(setup.Project);

        string[] results;
        HashSet<string> seen;
        using (var watcher = new WorkspaceWatcher(setup.Project))
        {
            var calls = Enumerable.Range(0, Calls).Select(async i =>
            {
                var (status, body) = await server.PostAsync("/v1/calls", Call(setup, $"p{i}", $"echo {i} > out_{i}.txt", wait: Patience.TotalSeconds));
                return status is 200 or 201 && Text(body, "outcome") == "allowed-and-ran" && body.GetProperty("exitCode").GetInt32() == 0
                    ? "ok"
                    : $"call p{i}: {status} {body}";
            });
            results = await Task.WhenAll(calls);
            seen = watcher.Stop();
        }

        Assert.True(results.All(r => r == "ok"), string.Join('\n', results.Where(r => r != "ok").Take(5)) + "\n" + server.Log);
        var expected = Enumerable.Range(0, Calls).Select(i => $"out_{i}.txt").ToHashSet();
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Except(before).Order(StringComparer.Ordinal));
        Assert.Equal(before.Concat(expected).Order(StringComparer.Ordinal), Entries(setup.Project));
        for (var i = 0; i < Calls; i++) Assert.Equal($"{i}\n", File.ReadAllText(Path.Combine(setup.Project, $"out_{i}.txt")));
    }

    [Theory, MemberData(nameof(Variants))]
    public async Task A_server_killed_while_calls_run_leaves_nothing_in_the_workspace_and_the_calls_are_interrupted(string layering, bool asNobody)
    {
        using var setup = Setup(layering, asNobody);
        // Every call must be running when the server dies; the default cap (4 per core) would queue some of them.
        setup.ExtraArguments.AddRange(["--max-runs", "16", "--max-runs-per-agent", "16"]);
        var before = Entries(setup.Project);
        var ids = Enumerable.Range(0, 10).Select(i => $"k{i}").ToArray();
        await using (var server = await ServerProcess.StartAsync(setup))
        {
            foreach (var id in ids)
            {
                var (status, body) = await server.PostAsync("/v1/calls", Call(setup, id, $"sleep 30; echo late > {id}.txt", wait: 0));
                Assert.True(status is 200 or 201 or 202, $"{status} {body}");
            }
            foreach (var id in ids) await server.AwaitCallAsync(id, c => Text(c, "status") == "executing", Patience);
            server.Kill();
        }

        // The commands die with the server (the helper's parent-death signal; bubblewrap's too, and its pid namespace
        // takes their children along), so nothing they meant to write appears, and nothing of the sandbox's was ever on
        // the host to be left behind. Under the built-in layer alone a command's own children can outlive the crash
        // (README): here the `sleep` of each `sh -c`, harmless once its shell is gone.
        await NoSurvivorsAsync(setup.Project, builtIn: layering == "built-in");
        Assert.Equal(before, Entries(setup.Project));

        await using (var server = await ServerProcess.StartAsync(setup))
            foreach (var id in ids)
                Assert.Equal("interrupted", Text(await server.AwaitCallAsync(id, c => Text(c, "status") == "interrupted", Patience), "outcome"));
        Assert.Equal(before, Entries(setup.Project));
    }

    /// <summary>Waits (polled, at most 15 s) until no process of the killed server's commands is running.</summary>
    private static Task NoSurvivorsAsync(string workspace, bool builtIn) =>
        Poll.UntilAsync(() => Commands(workspace).Where(c => !builtIn || !c.Contains(": sleep 30", StringComparison.Ordinal)).ToList(),
            survivors => survivors.Count == 0, "the killed server's commands ending", TimeSpan.FromSeconds(15));

    private static string[] Entries(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal)];

    /// <summary>Processes still running a command of the killed server (their working directory is the workspace).</summary>
    private static IEnumerable<string> Commands(string workspace)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            string cwd, cmdline;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (cwd == workspace && cmdline.Contains("sleep 30", StringComparison.Ordinal)) yield return $"{dir}: {cmdline.Trim()}";
        }
    }

    /// <summary>Everything that appears below a directory while it watches: inotify events (every name created or moved in) and sampling.</summary>
    private sealed class WorkspaceWatcher : IDisposable
    {
        private readonly string _root;
        private readonly FileSystemWatcher _events;
        private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private Exception? _failure;

        public WorkspaceWatcher(string root)
        {
            _root = root;
            _events = new FileSystemWatcher(root) { IncludeSubdirectories = true, InternalBufferSize = 64 * 1024, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName };
            _events.Created += (_, e) => Add(e.FullPath);
            _events.Renamed += (_, e) => Add(e.FullPath);
            _events.Error += (_, e) => _failure = e.GetException();
            _events.EnableRaisingEvents = true;
            foreach (var entry in Entries(root)) _seen[entry] = true;
            _sampling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try { foreach (var entry in Entries(root)) _seen[entry] = true; }
                    catch (DirectoryNotFoundException) { }
                    await Task.Delay(2);
                }
            });
        }

        private void Add(string path) => _seen[Path.GetRelativePath(_root, path)] = true;

        public HashSet<string> Stop()
        {
            _stop.Cancel();
            _sampling.Wait();
            _events.EnableRaisingEvents = false;
            if (_failure is not null) throw new InvalidOperationException("the workspace watcher lost events", _failure);
            return [.. _seen.Keys];
        }

        public void Dispose()
        {
            _stop.Cancel();
            _events.Dispose();
            _stop.Dispose();
        }
    }
}
