using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
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
public sealed class PipelineExecutionSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-pipeline-exec-")
{
    [Fact]
    public async Task An_allowed_call_runs_in_the_sandbox_once_with_its_output_kept_and_the_start_recorded_before_the_finish()
    {
        var sessions = await SessionsAsync();
        var call = Bash("echo hi; echo line >> side-effect.txt");

        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(Decision.Allow, accepted.State.Decision);
        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal(0, done.State.Completion!.ExitCode);
        Assert.Equal("hi\n", done.Output!.Stdout);
        Assert.StartsWith("linux", done.State.Execution!.SandboxKind);
        Assert.Equal("line\n", File.ReadAllText(Path.Combine(Workspace.FullName, "side-effect.txt")));
        Assert.Equal(["call-received-and-decided.v2", "execution-started.v1", "execution-finished.v1", "call-completed.v1"],
            Backend.ReadSessionRows().Select(r => r.Manifest));
        // The layers the plan's sandbox said it would apply are recorded with the start, in the journal itself.
        Assert.Contains("seccomp", done.State.Execution.Layers!.Active);
        Assert.Contains("seccomp", System.Text.Encoding.UTF8.GetString(Backend.ReadSessionRows().Single(r => r.Manifest == "execution-started.v1").Payload));
    }

    [Fact]
    public async Task An_approved_call_runs_the_submitted_input_while_the_history_keeps_it_masked()
    {
        var sessions = await SessionsAsync();
        var call = Bash("printf '%s' \"API_TOKEN=abc123secretvalue\" > token.txt");

        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        Assert.DoesNotContain("abc123secretvalue", accepted.State.Call!.InputValue(ToolInputKeys.Command));
        await (await RegisteredAsync<ApprovalBroker>()).Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(
            new ApprovalAnswer(accepted.State.PendingApproval!.ApprovalId, true, GrantScope.Once, null, "alice")), Patience);

        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal("API_TOKEN=abc123secretvalue", File.ReadAllText(Path.Combine(Workspace.FullName, "token.txt")));
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => System.Text.Encoding.UTF8.GetString(r.Payload).Contains("abc123secretvalue"));
    }

    [Fact]
    public async Task A_tool_without_an_executor_is_recorded_as_failed_with_the_reason()
    {
        var sessions = await SessionsAsync();
        var call = Call(ToolNames.NotebookEdit, ToolInputKeys.NotebookPath, Path.Combine(Workspace.FullName, "a.ipynb"));

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("no executor", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }

    [Fact]
    public async Task A_failing_command_completes_with_its_exit_code()
    {
        var sessions = await SessionsAsync();
        var call = Bash("echo oops >&2; exit 7");

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal(7, done.State.Completion!.ExitCode);
        Assert.Equal("oops\n", done.Output!.Stderr);
    }
}
