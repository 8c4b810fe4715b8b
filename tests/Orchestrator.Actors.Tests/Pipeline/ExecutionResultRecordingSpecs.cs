using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// What the pipeline keeps of a run's end, with a scripted sandbox: a failed run ends its own call
/// alone (interrupted or failed), a sandbox that failed to start, protected paths a command created.
/// </summary>
public sealed class ExecutionResultRecordingSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-run-results-")
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => new Execution.ScriptedSandbox() };

    [Fact]
    public async Task Runs_that_fail_end_only_their_own_calls_interrupted_when_they_may_have_started_failed_when_not()
    {
        var poisoned = await RunAsync("fail-async");     // the runner failed: whether the process ran is unknown
        var broken = await RunAsync("throw-sync");       // the sandbox itself is broken: its worker restarts
        var refused = await RunAsync("unavailable");     // nothing was started
        var afterwards = await RunAsync("echo still-serving");

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
        var done = await RunAsync("sandbox-fails bwrap: no source path");

        AssertFinished(done, CallOutcome.Failed);
        Assert.Null(done.State.Completion!.ExitCode);
        Assert.Equal("sandbox failed to start: bwrap: no source path", done.State.Completion.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-finished.v1");
    }

    [Fact]
    public async Task Protected_paths_a_command_created_are_recorded_in_execution_finished()
    {
        var done = await RunAsync("creates /ws/lib/.git");

        AssertFinished(done, CallOutcome.AllowedAndRan);
        var created = Assert.Single(done.State.Finished!.Result.CreatedProtectedPaths);
        Assert.Equal("/ws/lib/.git", created.Path);
        Assert.Contains(Backend.ReadJournalRows(), r => r.Manifest == "execution-finished.v1");
    }
}
