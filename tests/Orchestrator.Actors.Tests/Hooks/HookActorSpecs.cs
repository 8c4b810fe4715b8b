using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Hooks;

public sealed class HookActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(15);
    // How soon a killed hook must be answered for: far short of what its script would take by itself (sleep 300), so a
    // hook actor that waited for the script fails, yet loose enough for a loaded machine (load 20-40 on two cores).
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("hook-specs-");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _workspace.Delete(recursive: true);
    }

    private static HookDefinition Hook(string command, double timeoutSeconds = 10, HookFailureMode onFailure = HookFailureMode.Deny, string? name = null) =>
        new(name ?? command, command, TimeSpan.FromSeconds(timeoutSeconds), onFailure, new SourceLocation("s.json", 1, 1));

    private HookConfiguration Configuration(string matcher, params HookDefinition[] hooks) =>
        new([new HookMatcher { Event = HookEvent.PreToolUse, Pattern = matcher, Hooks = hooks, Location = new SourceLocation("s.json", 1, 1) }], [], [])
        {
            ProjectDirectory = _workspace.FullName,
        };

    private readonly Dictionary<IActorRef, HookConfiguration> _configurations = [];

    /// <summary>A hook actor, and the configuration <see cref="Run"/> hands it with each call.</summary>
    private IActorRef HookActorFor(HookConfiguration configuration, IHookProcessRunner? runner = null, HookActorOptions? options = null)
    {
        var actor = Sys.ActorOf(HookActor.Props(runner ?? new ShellHookProcessRunner(), options));
        _configurations[actor] = configuration;
        return actor;
    }

    private ToolCall Bash(string command, string? cwd = null) => new(new CallId(Guid.NewGuid().ToString("n")), "Bash",
        ImmutableDictionary<string, string>.Empty.Add("command", command), cwd ?? _workspace.FullName, new AgentId("agent"), new SessionId("session-1"));

    private HooksRan Run(IActorRef hooks, ToolCall call, string permissionMode = "default")
    {
        hooks.Tell(new RunHooks(call, permissionMode, _configurations[hooks]), TestActor);
        var ran = ExpectMsg<HooksRan>(Answer);
        Assert.Equal(call.Id, ran.CallId);
        return ran;
    }

    [Fact]
    public void A_hook_whose_if_condition_does_not_match_the_call_is_not_run()
    {
        var marker = Path.Combine(_workspace.FullName, "ran");
        var condition = HookCondition.Parse("Bash(gh api *)", new RuleOrigin(SettingsLayer.Project, new SourceLocation("s.json", 1, 1)),
            new Orchestrator.Core.Policy.Rules.RuleContext(_workspace.FullName, _workspace.FullName, _workspace.FullName), out var error, out _);
        Assert.Null(error);
        var guard = Hook($"touch '{marker}'; echo 'no gh api' >&2; exit 2", name: "gh-guard") with { Condition = condition };
        var hooks = HookActorFor(Configuration("Bash", guard));

        Assert.Empty(Run(hooks, Bash("ls -la")).Results);
        Assert.False(File.Exists(marker), "the hook ran for a call its 'if' does not match");

        var result = Assert.Single(Run(hooks, Bash("ls && gh api repos/x")).Results);
        Assert.Equal(Decision.Deny, result.Decision);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public void A_hook_exiting_2_denies_with_stderr_as_the_reason()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("echo 'rm is not for agents' >&2; exit 2", name: "no-rm")));

        var result = Assert.Single(Run(hooks, Bash("rm -rf x")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("hook 'no-rm' denied: rm is not for agents", result.Reason);
    }

    [Fact]
    public void A_hook_printing_json_ask_asks()
    {
        var json = """{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"pushes need a human"}}""";
        var hooks = HookActorFor(Configuration("Bash", Hook($"echo '{json}'", name: "push-guard")));

        var ran = Run(hooks, Bash("git push"));

        var result = Assert.Single(ran.Results);
        Assert.Equal(Decision.Ask, result.Decision);
        Assert.Equal("hook 'push-guard' asks: pushes need a human", result.Reason);
        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(result.OutputDigest);
        Assert.Null(ran.UpdatedInput);
    }

    [Fact]
    public void A_hook_that_outlives_its_timeout_is_killed_with_its_children_and_denies()
    {
        var pidFile = Path.Combine(_workspace.FullName, "child.pid");
        var timeout = TimeSpan.FromSeconds(1);
        var hooks = HookActorFor(Configuration("Bash", Hook($"sleep 300 & echo $! > '{pidFile}'; wait", timeoutSeconds: timeout.TotalSeconds, name: "slow")));
        var clock = Stopwatch.StartNew();

        var result = Assert.Single(Run(hooks, Bash("ls")).Results);

        clock.Stop();
        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Null(result.ExitCode);
        Assert.Equal("hook 'slow' failed: timed out after 1s", result.Reason);
        // Not before its timeout, and long before its script (300 s) would have ended by itself.
        Assert.InRange(clock.Elapsed, timeout * 0.9, timeout + Prompt);
        Assert.InRange(result.Duration, timeout * 0.9, timeout + Prompt);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        AwaitAssert(() => Assert.False(IsRunning(child), $"the hook's child {child} survived the timeout"), Prompt);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // Field 3 of /proc/PID/stat is the state; a zombie (Z) or dead (X) process is no longer running.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public void A_failing_hook_with_on_failure_ignore_raises_no_objection_but_is_recorded()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("echo broken >&2; exit 3", onFailure: HookFailureMode.Ignore, name: "lenient")));

        var result = Assert.Single(Run(hooks, Bash("ls")).Results);

        Assert.Null(result.Decision);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hook 'lenient' failed: exit code 3: broken (ignored: onFailure is \"ignore\")", result.Reason);
    }

    [Fact]
    public void Updated_input_of_the_last_hook_that_gave_one_is_returned()
    {
        static string Rewrite(string command) =>
            "echo '{\"hookSpecificOutput\":{\"permissionDecision\":\"allow\",\"updatedInput\":{\"command\":\"" + command + "\"}}}'";
        var hooks = HookActorFor(Configuration("Bash", Hook(Rewrite("ls -1")), Hook(Rewrite("ls -la")), Hook("true")));

        var ran = Run(hooks, Bash("ls"));

        Assert.Equal(3, ran.Results.Length);
        Assert.All(ran.Results.Take(2), r => Assert.Equal(Decision.Allow, r.Decision));
        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("command", "ls -la"), ran.UpdatedInput);
    }

    [Fact]
    public void Results_come_back_in_configuration_order_whatever_order_the_hooks_finish_in()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("sleep 0.5; exit 2", name: "first"), Hook("exit 0", name: "second")));

        var ran = Run(hooks, Bash("ls"));

        Assert.Equal(["first", "second"], ran.Results.Select(r => r.Name));
    }

    [Fact]
    public void Without_a_matching_hook_it_answers_at_once_without_running_anything()
    {
        var runner = new CountingRunner();
        var hooks = HookActorFor(Configuration("Write|Edit", Hook("exit 2")), runner);

        var ran = Run(hooks, Bash("ls"));

        Assert.Empty(ran.Results);
        Assert.Null(ran.UpdatedInput);
        Assert.Equal(0, runner.Runs);
    }

    [Fact]
    public void The_breaker_opens_after_five_failures_in_a_row_and_then_the_hook_is_not_run()
    {
        var log = Path.Combine(_workspace.FullName, "runs.log");
        var hooks = HookActorFor(Configuration("Bash", Hook($"echo run >> '{log}'; exit 1", name: "flaky")));

        for (var i = 0; i < 5; i++)
            Assert.Equal(1, Assert.Single(Run(hooks, Bash("ls")).Results).ExitCode);
        var broken = Assert.Single(Run(hooks, Bash("ls")).Results);

        Assert.Equal(Decision.Deny, broken.Decision);
        Assert.Null(broken.ExitCode);
        Assert.Equal("hook 'flaky' failed: not run: its circuit breaker is open after 5 failures in a row", broken.Reason);
        Assert.Equal(5, File.ReadAllLines(log).Length);
    }

    [Fact]
    public void One_agents_hook_failures_open_the_breaker_for_that_agent_only()
    {
        var log = Path.Combine(_workspace.FullName, "agent-runs.log");
        var hooks = HookActorFor(Configuration("Bash", Hook($"echo run >> '{log}'; exit 1", name: "flaky")));
        ToolCall As(string agent) => Bash("ls") with { Agent = new AgentId(agent) };

        for (var i = 0; i < 5; i++) Assert.Equal(1, Assert.Single(Run(hooks, As("noisy")).Results).ExitCode);
        Assert.Null(Assert.Single(Run(hooks, As("noisy")).Results).ExitCode);

        // The same hook still runs for another agent: its failures are its own.
        var other = Assert.Single(Run(hooks, As("quiet")).Results);
        Assert.Equal(1, other.ExitCode);
        Assert.DoesNotContain("circuit breaker", other.Reason);
        Assert.Equal(6, File.ReadAllLines(log).Length);
    }

    [Fact]
    public async Task One_agent_holds_at_most_its_share_of_the_hook_processes()
    {
        var options = HookActorOptions.Default with { MaxConcurrentHooksPerAgent = 1, MaxQueuedHooksPerAgent = 0 };
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new GatedRunner(release.Task);
        var hooks = HookActorFor(Configuration("Bash", Hook("gated", name: "gated")), runner, options);
        ToolCall As(string agent) => Bash("ls") with { Agent = new AgentId(agent) };

        hooks.Tell(new RunHooks(As("busy"), "default", _configurations[hooks]), TestActor);
        await runner.Started(1).WaitAsync(Answer);
        // The busy agent's second hook finds its share taken and fails at once; another agent's hook still starts.
        var refused = Assert.Single(Run(hooks, As("busy")).Results);
        Assert.Contains("hooks of agent busy running", refused.Reason);
        hooks.Tell(new RunHooks(As("other"), "default", _configurations[hooks]), TestActor);
        await runner.Started(2).WaitAsync(Answer);
        release.SetResult();
        ExpectMsg<HooksRan>(Answer);
        ExpectMsg<HooksRan>(Answer);
    }

    private sealed class GatedRunner(Task gate) : IHookProcessRunner
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _starts = new();
        private int _started;

        /// <summary>Completes when the <paramref name="nth"/> hook process has started (a signal, not a poll).</summary>
        public Task Started(int nth) => Start(nth).Task;

        private TaskCompletionSource Start(int nth) => _starts.GetOrAdd(nth, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task<HookProcessResult> RunAsync(HookProcessRequest request, CancellationToken cancellationToken)
        {
            Start(Interlocked.Increment(ref _started)).TrySetResult();
            await gate.WaitAsync(cancellationToken);
            return new HookProcessResult(0, "", "", TimeSpan.Zero);
        }
    }

    [Fact]
    public void An_open_breaker_keeps_only_its_own_command_from_running()
    {
        var hooks = HookActorFor(new HookConfiguration(
            [
                new HookMatcher { Event = HookEvent.PreToolUse, Pattern = "Bash", Hooks = [Hook("exit 1", name: "flaky")], Location = new SourceLocation("s.json", 1, 1) },
                new HookMatcher { Event = HookEvent.PreToolUse, Pattern = "Read", Hooks = [Hook("exit 0", name: "fine")], Location = new SourceLocation("s.json", 2, 1) },
            ], [], []) { ProjectDirectory = _workspace.FullName });
        for (var i = 0; i < 5; i++) Run(hooks, Bash("ls"));

        var read = new ToolCall(new CallId("read-1"), "Read", ImmutableDictionary<string, string>.Empty.Add("file_path", "/etc/hosts"),
            _workspace.FullName, new AgentId("agent"), new SessionId("session-1"));
        var result = Assert.Single(Run(hooks, read).Results);

        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Decision);
    }

    [Theory]
    [InlineData(".orchestrator/hooks/guard.sh")]
    [InlineData("./.orchestrator/hooks/guard.sh")]
    [InlineData("sh .orchestrator/hooks/guard.sh")]
    [InlineData("\"$CLAUDE_PROJECT_DIR\"/.orchestrator/hooks/guard.sh")]
    [InlineData("$ORCHESTRATOR_PROJECT_DIR/.orchestrator/hooks/guard.sh")]
    public void A_relative_hook_command_runs_the_projects_script_whatever_cwd_the_agent_chose(string command)
    {
        var src = Directory.CreateDirectory(Path.Combine(_workspace.FullName, "src")).FullName;
        var deeper = Directory.CreateDirectory(Path.Combine(src, "lib")).FullName;
        WriteScript(Path.Combine(_workspace.FullName, ".orchestrator/hooks/guard.sh"), "echo \"real guard in $(pwd)\" >&2; exit 2");
        var planted = Path.Combine(_workspace.FullName, "planted-ran");
        foreach (var dir in new[] { src, deeper })
            WriteScript(Path.Combine(dir, ".orchestrator/hooks/guard.sh"), $"touch '{planted}'; exit 0");
        var hooks = HookActorFor(Configuration("Bash", Hook(command, name: "guard")));

        foreach (var cwd in new[] { src, deeper, "src", "/" })
        {
            var result = Assert.Single(Run(hooks, Bash("rm -rf src", cwd)).Results);
            Assert.Equal(Decision.Deny, result.Decision);
            Assert.Equal($"hook 'guard' denied: real guard in {_workspace.FullName}", result.Reason);
        }
        Assert.False(File.Exists(planted), "the script the agent planted below its cwd ran");
    }

    [Fact]
    public void A_hook_sees_the_project_directory_variables_and_only_absolute_path_entries()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("printf '%s|%s|%s|%s' \"$(pwd)\" \"$ORCHESTRATOR_PROJECT_DIR\" \"$CLAUDE_PROJECT_DIR\" \"$PATH\" > env.txt")));

        Assert.Equal(0, Assert.Single(Run(hooks, Bash("ls", "/")).Results).ExitCode);

        var seen = File.ReadAllText(Path.Combine(_workspace.FullName, "env.txt")).Split('|');
        Assert.Equal([_workspace.FullName, _workspace.FullName, _workspace.FullName], seen[..3]);
        Assert.All(seen[3].Split(':'), entry => Assert.StartsWith("/", entry));
    }

    [Fact]
    public void A_configuration_without_a_project_directory_runs_no_hook_and_denies()
    {
        var marker = Path.Combine(_workspace.FullName, "ran");
        var hooks = HookActorFor(Configuration("Bash", Hook($"touch '{marker}'", name: "h")) with { ProjectDirectory = null });

        var result = Assert.Single(Run(hooks, Bash("ls")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Contains("no project directory", result.Reason);
        Assert.False(File.Exists(marker));
    }

    private static void WriteScript(string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
    }

    [Fact]
    public void The_hook_reads_claude_codes_json_on_stdin_in_the_project_directory()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("cat > stdin.json")));
        var cwd = Directory.CreateDirectory(Path.Combine(_workspace.FullName, "sub")).FullName;
        var call = Bash("git status", cwd);

        var result = Assert.Single(Run(hooks, call, permissionMode: "acceptEdits").Results);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $$"""{"session_id":"session-1","cwd":"{{cwd}}","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status"},"tool_use_id":"{{call.Id}}","permission_mode":"acceptEdits","agent_id":"agent"}""",
            File.ReadAllText(Path.Combine(_workspace.FullName, "stdin.json")));
    }

    [Fact]
    public void Hooks_beyond_the_concurrency_limit_wait_for_a_slot()
    {
        // Each hook holds a directory while it sleeps: had the two overlapped, the second's mkdir would have failed
        // (exit 1), however fast or slow the machine. The time taken can only grow with load.
        const string holdTheSlot = "mkdir held && sleep 0.6 && rmdir held";
        var hooks = HookActorFor(Configuration("Bash", Hook(holdTheSlot, name: "a"), Hook(holdTheSlot, name: "b")),
            options: new HookActorOptions { MaxConcurrentHooks = 1 });
        var clock = Stopwatch.StartNew();

        var ran = Run(hooks, Bash("ls"));

        Assert.Equal(2, ran.Results.Length);
        Assert.All(ran.Results, r => Assert.Equal(0, r.ExitCode));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.2), $"two 0.6 s hooks with one slot took only {clock.Elapsed}");
    }

    [Fact]
    public void Output_beyond_64_KiB_is_drained_but_not_kept()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("head -c 200000 /dev/zero | tr '\\0' a; echo done >&2; exit 2", name: "chatty")));

        var result = Assert.Single(Run(hooks, Bash("ls")).Results);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("hook 'chatty' denied: done", result.Reason);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(new string('a', ShellHookProcessRunner.MaxCapturedBytes)))), result.OutputDigest);
    }

    [Fact]
    public void Stopping_the_actor_kills_running_hooks_and_still_answers_with_a_deny()
    {
        var hooks = HookActorFor(Configuration("Bash", Hook("sleep 300", timeoutSeconds: 600, name: "long")));
        var clock = Stopwatch.StartNew();

        hooks.Tell(new RunHooks(Bash("ls"), "default", _configurations[hooks]), TestActor);
        hooks.Tell(PoisonPill.Instance);
        var result = Assert.Single(ExpectMsg<HooksRan>(Answer).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'long' failed: stopped: the hook actor is shutting down", result.Reason);
        Assert.True(clock.Elapsed < Prompt, $"answered after {clock.Elapsed}, so the hook was not killed");
    }

    private sealed class CountingRunner : IHookProcessRunner
    {
        private int _runs;
        public int Runs => _runs;

        public Task<HookProcessResult> RunAsync(HookProcessRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new HookProcessResult(0, "", "", TimeSpan.Zero));
        }
    }
}
