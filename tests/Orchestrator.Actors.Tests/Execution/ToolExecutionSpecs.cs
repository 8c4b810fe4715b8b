using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>
/// The structured-tool seam through the whole pipeline: a call whose tool has an in-process executor is planned onto it,
/// runs off the session under its timeout, and is recorded by the same events as a Bash run (with the tool's facts).
/// Scripted executors stand in for the real tools (registered under Glob, which the pipeline's policy allows).
/// </summary>
public sealed class ToolExecutionSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-tool-exec-")
{
    private static readonly ScriptedTool Tool = new();

    protected override PipelineOptions Pipeline => PipelineOptions.Default with
    {
        Tools = new ToolExecutors([Tool]),
        RunLimits = new RunLimits { Tools = ToolLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300) } },
    };

    private async Task<CallSnapshot> RunAsync(string script)
    {
        var sessions = await SessionsAsync();
        var call = Call(ToolNames.Glob, ToolInputKeys.Pattern, script);
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        return await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
    }

    [Fact]
    public async Task A_structured_call_runs_on_its_executor_and_is_recorded_like_a_run_with_the_tools_facts()
    {
        var done = await RunAsync("ok");

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal("ran ok", done.Output!.Stdout);
        Assert.Equal(ToolPlan.SandboxKindName, done.State.Execution!.SandboxKind);
        Assert.Equal(0, done.State.Finished!.Result.ExitCode);
        Assert.Equal(new ToolRecord(ToolNames.Glob, "/x", Digest: "sha256:d"), done.State.Finished.Result.Tool);
        Assert.Equal(["call-received-and-decided.v2", "execution-started.v1", "execution-finished.v1", "call-completed.v1"],
            Backend.ReadSessionRows().Select(r => r.Manifest));
        Assert.Contains("sha256:d", System.Text.Encoding.UTF8.GetString(Backend.ReadSessionRows().Single(r => r.Manifest == "execution-finished.v1").Payload));
    }

    [Fact]
    public async Task A_failure_of_the_executor_once_running_completes_the_call_as_failed_with_its_reason()
    {
        var done = await RunAsync("refuse");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Equal("refused by script", done.State.Completion!.Detail);
        Assert.Equal(1, done.State.Finished!.Result.ExitCode);
        Assert.Equal("refused by script", done.State.Finished.Result.Tool!.Failure);
        Assert.Equal("refused by script", done.Output!.Stderr);
    }

    [Fact]
    public async Task Input_the_executor_rejects_fails_the_call_before_anything_starts()
    {
        var done = await RunAsync("invalid");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("Glob: the script says the input is bad", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }

    [Fact]
    public async Task A_call_that_outlives_its_timeout_is_cancelled_and_recorded_as_timed_out()
    {
        var done = await RunAsync("hang");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("timed out", done.State.Completion!.Detail);
        Assert.True(done.State.Finished!.Result.TimedOut);
        Assert.Equal(ToolExecution.TimedOutExitCode, done.State.Finished.Result.ExitCode);
        Assert.Contains("timed out", done.Output!.Stderr);
    }

    [Fact]
    public async Task An_executor_that_throws_fails_its_call_alone()
    {
        var done = await RunAsync("throw");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("scripted crash", done.State.Completion!.Detail);
        AssertFinished(await RunAsync("ok"), CallOutcome.AllowedAndRan);
    }

    /// <summary>Does what its pattern says: ok, refuse, invalid (at planning), hang (until cancelled), throw.</summary>
    private sealed class ScriptedTool : IToolExecutor
    {
        public string Tool => ToolNames.Glob;

        public bool HasSideEffects => false;

        public string? Validate(ToolCall call, ToolLimits limits) =>
            call.InputValue(ToolInputKeys.Pattern) == "invalid" ? "the script says the input is bad" : null;

        public async Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
        {
            switch (run.Call.InputValue(ToolInputKeys.Pattern))
            {
                case "refuse":
                    return ToolOutcome.Failed("refused by script");
                case "hang":
                    await Task.Delay(Timeout.Infinite, cancellation);
                    return ToolOutcome.Ok("never");
                case "throw":
                    throw new InvalidOperationException("scripted crash");
                default:
                    return ToolOutcome.Ok("ran ok", new ToolRecord(ToolNames.Glob, "/x", Digest: "sha256:d"));
            }
        }
    }
}
