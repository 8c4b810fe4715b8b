using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Hooks;

/// <summary>Claude Code's hook protocol against real hook programs (scripts written here) and a real local http server.</summary>
public sealed class HookProtocolSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(20);
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("hook-protocol-");
    private readonly HookTestListener _server = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _server.Dispose();
        _workspace.Delete(recursive: true);
    }

    private static readonly SourceLocation Here = new("s.json", 1, 1);

    private static HookDefinition Command(string command, string name, double timeoutSeconds = 10) =>
        new(name, command, TimeSpan.FromSeconds(timeoutSeconds), HookFailureMode.Deny, Here);

    private static HookDefinition Http(string url, string name, double timeoutSeconds = 10) =>
        new(name, url, TimeSpan.FromSeconds(timeoutSeconds), HookFailureMode.Deny, Here) { Type = HookType.Http };

    private HookConfiguration Configuration(HookEvent hookEvent, params HookDefinition[] hooks) =>
        new([new HookMatcher { Event = hookEvent, Pattern = "", Hooks = hooks, Location = Here }], [], []) { ProjectDirectory = _workspace.FullName };

    /// <summary>A bash script in the workspace, executable, run by path.</summary>
    private string Script(string name, string body)
    {
        var path = Path.Combine(_workspace.FullName, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    private ToolCall Bash(string command) => new(new CallId(Guid.NewGuid().ToString("n")), "Bash",
        ImmutableDictionary<string, string>.Empty.Add("command", command), _workspace.FullName, new AgentId("agent-7"), new SessionId("session-1"));

    private HooksRan Run(IActorRef actor, HookConfiguration configuration, ToolCall call, HookEvent hookEvent = HookEvent.PreToolUse, HookToolResponse? response = null)
    {
        actor.Tell(new RunHooks(call, "default", configuration, hookEvent, response), TestActor);
        var ran = ExpectMsg<HooksRan>(Answer);
        Assert.Equal(call.Id, ran.CallId);
        return ran;
    }

    private IActorRef Actor(HookActorOptions? options = null) => Sys.ActorOf(HookActor.Props(new ShellHookProcessRunner(), options));

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, Decision.Deny)]
    [InlineData(2, Decision.Deny)]
    [InlineData(3, Decision.Deny)]
    [InlineData(127, Decision.Deny)]
    public void Each_exit_code_of_a_real_hook_is_read_as_claude_code_reads_it(int exitCode, Decision? expected)
    {
        var hook = Script("exit.sh", $"cat > /dev/null; echo 'why {exitCode}' >&2; exit {exitCode}");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "exit")), Bash("ls")).Results);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(expected, result.Decision);
        if (exitCode == 2) Assert.Equal("hook 'exit' denied: why 2", result.Reason);
        else if (exitCode != 0) Assert.Equal($"hook 'exit' failed: exit code {exitCode}: why {exitCode}", result.Reason);
    }

    [Fact]
    public void Exit_2_blocks_even_when_stdout_is_not_valid_json()
    {
        var hook = Script("block.sh", "echo '{not json'; echo 'no rm here' >&2; exit 2");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "block")), Bash("rm -rf x")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'block' denied: no rm here", result.Reason);
    }

    [Fact]
    public void Malformed_json_on_exit_0_is_a_failure_that_denies()
    {
        var hook = Script("bad.sh", "echo '{\"hookSpecificOutput\": {\"permissionDecision\": '");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "bad")), Bash("ls")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.StartsWith("hook 'bad' failed: its output starts with '{' but is not valid JSON", result.Reason);
    }

    [Fact]
    public void A_hook_that_exits_before_reading_stdin_is_read_normally_even_with_a_large_input()
    {
        var hook = Script("early.sh", "echo '{\"hookSpecificOutput\": {\"permissionDecision\": \"ask\", \"permissionDecisionReason\": \"early\"}}'; exit 0");
        var call = Bash("echo " + new string('x', 512 * 1024));

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "early")), call).Results);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Decision.Ask, result.Decision);
        Assert.Equal("hook 'early' asks: early", result.Reason);
    }

    [Fact]
    public void A_flood_of_stdout_is_bounded_and_the_hook_still_answers()
    {
        var hook = Script("flood.sh", "cat > /dev/null; yes 'flood flood flood' | head -c 20000000; exit 0");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "flood")), Bash("ls")).Results);

        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Decision);
    }

    [Fact]
    public void A_hook_past_its_timeout_denies_and_says_so()
    {
        var hook = Script("slow.sh", "sleep 30");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "slow", timeoutSeconds: 0.5)), Bash("ls")).Results);

        Assert.Null(result.ExitCode);
        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'slow' failed: timed out after 0.5s", result.Reason);
    }

    [Theory]
    [InlineData("""{"continue": false, "stopReason": "frozen"}""", "hook 'j' denied: frozen")]
    [InlineData("""{"decision": "block", "reason": "not today"}""", "hook 'j' denied: not today")]
    public void Top_level_continue_false_and_decision_block_deny(string json, string reason)
    {
        var hook = Script("json.sh", $"cat > /dev/null; cat <<'JSON'\n{json}\nJSON");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "j")), Bash("ls")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Additional_context_is_recorded_with_the_result()
    {
        var hook = Script("ctx.sh", "cat > /dev/null; echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"additionalContext\": \"use make, not cmake\"}}'");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Command(hook, "ctx")), Bash("cmake .")).Results);

        Assert.Null(result.Decision);
        Assert.Equal("use make, not cmake", result.AdditionalContext);
    }

    [Fact]
    public void A_permission_request_hook_reads_its_event_and_answers_with_decision_behavior()
    {
        var stdin = Path.Combine(_workspace.FullName, "perm.json");
        var hook = Script("perm.sh", $"cat > '{stdin}'; echo '{{\"hookSpecificOutput\": {{\"hookEventName\": \"PermissionRequest\", \"decision\": {{\"behavior\": \"allow\", \"message\": \"ok by bot\", \"updatedInput\": {{\"command\": \"ls -l\"}}}}}}}}'");

        var ran = Run(Actor(), Configuration(HookEvent.PermissionRequest, Command(hook, "perm")), Bash("ls"), HookEvent.PermissionRequest);

        var result = Assert.Single(ran.Results);
        Assert.Equal(Decision.Allow, result.Decision);
        Assert.Equal("hook 'perm' allowed: ok by bot", result.Reason);
        Assert.Equal("PermissionRequest", result.Event);
        Assert.Equal("ls -l", ran.UpdatedInput!["command"]);
        using var input = JsonDocument.Parse(File.ReadAllText(stdin));
        Assert.Equal("PermissionRequest", input.RootElement.GetProperty("hook_event_name").GetString());
        Assert.Equal("agent-7", input.RootElement.GetProperty("agent_id").GetString());
    }

    [Fact]
    public void A_post_tool_use_hook_sees_the_real_tool_response()
    {
        var stdin = Path.Combine(_workspace.FullName, "post.json");
        var hook = Script("post.sh", $"cat > '{stdin}'; echo '{{\"hookSpecificOutput\": {{\"hookEventName\": \"PostToolUse\", \"additionalContext\": \"saw it\"}}}}'");
        var response = new HookToolResponse("hello\n", "warn\n", 0, false, null, null);

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PostToolUse, Command(hook, "post")), Bash("echo hello"), HookEvent.PostToolUse, response).Results);

        Assert.Equal("saw it", result.AdditionalContext);
        Assert.Equal("PostToolUse", result.Event);
        using var input = JsonDocument.Parse(File.ReadAllText(stdin));
        var toolResponse = input.RootElement.GetProperty("tool_response");
        Assert.Equal("hello\n", toolResponse.GetProperty("stdout").GetString());
        Assert.Equal("warn\n", toolResponse.GetProperty("stderr").GetString());
        Assert.Equal(0, toolResponse.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void An_http_hook_posts_the_same_json_and_its_answer_decides()
    {
        _server.Respond = _ => (200, """{"hookSpecificOutput": {"permissionDecision": "deny", "permissionDecisionReason": "remote says no"}}""");
        var call = Bash("curl evil.example");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Http(_server.Url, "remote")), call).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'remote' denied: remote says no", result.Reason);
        Assert.Equal(0, result.ExitCode);
        var body = Assert.Single(_server.Bodies);
        Assert.Equal((HookInput.For(call, HookEvent.PreToolUse, "default")).ToJson(), body);
    }

    [Fact]
    public void An_http_hook_answering_an_error_status_fails_closed()
    {
        _server.Respond = _ => (503, "down");

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Http(_server.Url, "remote")), Bash("ls")).Results);

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'remote' failed: http status 503", result.Reason);
    }

    [Fact]
    public void An_http_hook_past_its_timeout_fails_closed()
    {
        var release = new ManualResetEventSlim();
        _server.Respond = _ => { release.Wait(TimeSpan.FromSeconds(20)); return (200, ""); };

        var result = Assert.Single(Run(Actor(), Configuration(HookEvent.PreToolUse, Http(_server.Url, "remote", timeoutSeconds: 0.5)), Bash("ls")).Results);
        release.Set();

        Assert.Equal(Decision.Deny, result.Decision);
        Assert.Equal("hook 'remote' failed: timed out after 0.5s", result.Reason);
    }

    [Fact]
    public void The_http_breaker_opens_after_failures_in_a_row_and_closes_again_once_the_url_answers()
    {
        var healthy = false;
        _server.Respond = _ => Volatile.Read(ref healthy) ? (200, "") : (500, "boom");
        var actor = Actor(new HookActorOptions { BreakerFailures = 3, BreakDuration = TimeSpan.FromMilliseconds(500) });
        var configuration = Configuration(HookEvent.PreToolUse, Http(_server.Url, "remote"));

        for (var i = 0; i < 3; i++)
            Assert.Equal("hook 'remote' failed: http status 500", Assert.Single(Run(actor, configuration, Bash("ls")).Results).Reason);
        var open = Assert.Single(Run(actor, configuration, Bash("ls")).Results);
        Assert.Equal("hook 'remote' failed: not run: its circuit breaker is open after 3 failures in a row", open.Reason);
        Assert.Equal(3, _server.Bodies.Count);

        Volatile.Write(ref healthy, true);
        AwaitAssert(() => Assert.Null(Assert.Single(Run(actor, configuration, Bash("ls")).Results).Decision), Answer, TimeSpan.FromMilliseconds(100));
        Assert.Null(Assert.Single(Run(actor, configuration, Bash("ls")).Results).Decision);
        Assert.Equal(5, _server.Bodies.Count);
    }
}
