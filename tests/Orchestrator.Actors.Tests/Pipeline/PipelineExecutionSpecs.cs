using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// Calls of intent execute through the whole pipeline and the real platform sandbox (needs the sandbox helper from
/// ops/setup.sh): allowed calls run, approved calls run what was submitted, refusals are recorded.
/// </summary>
public sealed class PipelineExecutionSpecs(ITestOutputHelper output) : SqliteWorkspaceSpec(output, "orchestrator-pipeline-exec-")
{
    private static new readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PolicySnapshot Snapshot() => PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Directory.CreateDirectory(Path.Combine(Workspace.FullName, "..", Workspace.Name + "-home")).FullName,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        // Workspace writes (the side-effect file below is written by a redirection) run inside the sandbox unasked.
        ApprovalPolicy = "on-request",
        AskRules = ["Bash(printf:*)"],
        AllowRules = ["Bash(fail-async)", "Bash(throw-sync)", "Bash(unavailable)", "Bash(sandbox-fails:*)", "Bash(creates:*)"], // scripts of the scripted sandbox
    });

    private Task<PipelineTestHost> StartAsync() => PipelineTestHost.StartAsync(Backend.Options, Snapshot(), PipelineOptions.Default);

    private ToolCall Call(string tool, string key, string value) =>
        new(new CallId(Guid.NewGuid().ToString("n")), tool, ImmutableDictionary<string, string>.Empty.Add(key, value),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("exec-1"));

    private ToolCall Bash(string command) => Call(ToolNames.Bash, ToolInputKeys.Command, command);

    private static void AssertFinished(CallSnapshot done, CallOutcome outcome)
    {
        Assert.True(done.State.Outcome == outcome,
            $"expected {outcome}, got {done.State.Status} {done.State.Outcome}: {done.State.Completion?.Detail ?? done.State.Interruption?.Reason}");
    }

    [Fact]
    public async Task An_allowed_call_runs_in_the_sandbox_once_with_its_output_kept_and_the_start_recorded_before_the_finish()
    {
        await using var host = await StartAsync();
        var call = Bash("echo hi; echo line >> side-effect.txt");

        var accepted = await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(Decision.Allow, accepted.State.Decision);
        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal(0, done.State.Completion!.ExitCode);
        Assert.Equal("hi\n", done.Output!.Stdout);
        Assert.StartsWith("linux", done.State.Execution!.SandboxKind);
        Assert.Equal("line\n", File.ReadAllText(Path.Combine(Workspace.FullName, "side-effect.txt")));
        Assert.Equal(["call-received-and-decided.v1", "execution-started.v1", "execution-finished.v1", "call-completed.v1"],
            Backend.ReadSessionRows().Select(r => r.Manifest));
    }

    [Fact]
    public async Task An_approved_call_runs_the_submitted_input_while_the_history_keeps_it_masked()
    {
        await using var host = await StartAsync();
        var call = Bash("printf '%s' \"API_TOKEN=abc123secretvalue\" > token.txt");

        var accepted = await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        Assert.DoesNotContain("abc123secretvalue", accepted.State.Call!.InputValue(ToolInputKeys.Command));
        await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(
            new ApprovalAnswer(accepted.State.PendingApproval!.ApprovalId, true, GrantScope.Once, null, "alice")), Patience);

        var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal("API_TOKEN=abc123secretvalue", File.ReadAllText(Path.Combine(Workspace.FullName, "token.txt")));
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => System.Text.Encoding.UTF8.GetString(r.Payload).Contains("abc123secretvalue"));
    }

    [Fact]
    public async Task A_tool_without_an_executor_is_recorded_as_failed_with_the_reason()
    {
        await using var host = await StartAsync();
        var call = Call(ToolNames.Read, ToolInputKeys.FilePath, Path.Combine(Workspace.FullName, "README.md"));

        await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("no executor", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }

    private Task<PipelineTestHost> StartScriptedAsync() => PipelineTestHost.StartAsync(Backend.Options, Snapshot(),
        PipelineOptions.Default with { SandboxFor = _ => new Execution.ScriptedSandbox() });

    private async Task<CallSnapshot> RunAsync(PipelineTestHost host, string command)
    {
        var call = Bash(command);
        await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        try
        {
            return await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), TimeSpan.FromSeconds(15));
        }
        catch (AskTimeoutException)
        {
            var now = await host.Sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
            throw new Xunit.Sdk.XunitException($"'{command}' never finished: {now.State.Status}");
        }
    }

    [Fact]
    public async Task Only_the_output_of_the_most_recent_calls_is_kept_in_memory()
    {
        await using var host = await StartScriptedAsync();
        var first = await RunAsync(host, "echo first");
        for (var i = 0; i < 64; i++) await RunAsync(host, $"echo run-{i}");

        var forgotten = await host.Sessions.Ask<CallSnapshot>(new GetCall(first.State.Call!.Session, first.State.CallId), Patience);
        var last = await RunAsync(host, "echo last");

        Assert.Equal("first", first.Output!.Stdout);
        Assert.Null(forgotten.Output);
        Assert.Equal(CallOutcome.AllowedAndRan, forgotten.State.Outcome); // the call itself is never forgotten
        Assert.Equal("last", last.Output!.Stdout);
    }

    [Fact]
    public async Task Runs_that_fail_end_only_their_own_calls_interrupted_when_they_may_have_started_failed_when_not()
    {
        await using var host = await StartScriptedAsync();

        var poisoned = await RunAsync(host, "fail-async");     // the runner failed: whether the process ran is unknown
        var broken = await RunAsync(host, "throw-sync");       // the sandbox itself is broken: its worker restarts
        var refused = await RunAsync(host, "unavailable");     // nothing was started
        var afterwards = await RunAsync(host, "echo still-serving");

        AssertFinished(poisoned, CallOutcome.Interrupted);
        Assert.Contains("not run again", poisoned.State.Interruption!.Reason);
        AssertFinished(broken, CallOutcome.Interrupted);
        AssertFinished(refused, CallOutcome.Failed);
        AssertFinished(afterwards, CallOutcome.AllowedAndRan);
        Assert.Equal("still-serving", afterwards.Output!.Stdout);
    }

    [Fact]
    public async Task A_sandbox_that_failed_to_start_is_recorded_as_a_failure_with_its_reason_and_no_exit_code()
    {
        await using var host = await StartScriptedAsync();

        var done = await RunAsync(host, "sandbox-fails bwrap: no source path");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Null(done.State.Completion!.ExitCode);
        Assert.Equal("sandbox failed to start: bwrap: no source path", done.State.Completion.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-finished.v1");
    }

    [Fact]
    public async Task Protected_paths_a_command_created_are_recorded_in_execution_finished()
    {
        await using var host = await StartScriptedAsync();

        var done = await RunAsync(host, "creates /ws/lib/.git");

        AssertFinished(done, CallOutcome.AllowedAndRan);
        var created = Assert.Single(done.State.Finished!.Result.CreatedProtectedPaths);
        Assert.Equal("/ws/lib/.git", created.Path);
        Assert.Contains(Backend.ReadJournalRows(), r => r.Manifest == "execution-finished.v1");
    }

    [Fact]
    public async Task A_failing_command_completes_with_its_exit_code()
    {
        await using var host = await StartAsync();
        var call = Bash("echo oops >&2; exit 7");

        await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal(7, done.State.Completion!.ExitCode);
        Assert.Equal("oops\n", done.Output!.Stderr);
    }
}
