using System.Collections.Concurrent;
using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;
using static Orchestrator.Actors.Tests.Execution.ExecutionSpecPolicy;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>The execution protocol and its supervision, over scripted sandboxes (one per worker kind).</summary>
public sealed class SandboxSupervisorSpecs : Akka.TestKit.Xunit.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ScriptedSandbox _linux = new("linux-scripted");
    private readonly ScriptedSandbox _none = new("linux-scripted");
    private readonly ConcurrentDictionary<WorkerKind, int> _sandboxesMade = new();
    private readonly IActorRef _supervisor;

    public SandboxSupervisorSpecs(ITestOutputHelper output) : base(output: output)
    {
        _supervisor = Sys.ActorOf(SandboxSupervisor.Props(SandboxFor, [WorkerKind.Linux, WorkerKind.None]), SandboxSupervisor.Name);
    }

    private ICommandSandbox SandboxFor(WorkerKind kind)
    {
        _sandboxesMade.AddOrUpdate(kind, 1, (_, n) => n + 1);
        return kind == WorkerKind.None ? _none : _linux;
    }

    private Akka.TestKit.TestProbe Submit(ExecuteCall call)
    {
        var requester = CreateTestProbe();
        requester.Send(_supervisor, call);
        return requester;
    }

    [Fact]
    public void Answers_the_original_sender_with_the_result_and_its_recorded_output()
    {
        var call = Execute(_linux, "echo hello");

        var executed = Submit(call).ExpectMsg<CallExecuted>(Patience);

        Assert.Equal(call.CallId, executed.CallId);
        Assert.Equal(0, executed.Result.ExitCode);
        Assert.Equal(TimeSpan.FromMilliseconds(42), executed.Result.Duration);
        Assert.Equal(5, executed.Result.StdoutBytes);
        Assert.Equal(ScriptedSandbox.Output("hello").Sha256, executed.Result.StdoutDigest);
        Assert.Equal(new CallOutput("hello", "", false, false), CallOutput.From(executed.Result));
    }

    [Fact]
    public async Task Danger_full_access_runs_on_the_unconfined_worker()
    {
        var requester = Submit(Execute(_linux, "block danger", SandboxMode.DangerFullAccess));

        await _none.GateNamed("danger").Started.Task.WaitAsync(Patience);
        Assert.False(_linux.GateNamed("danger").Started.Task.IsCompleted);
        _none.GateNamed("danger").Release("done");
        Assert.Equal("done", CallOutput.From(requester.ExpectMsg<CallExecuted>(Patience).Result)!.Stdout);
    }

    [Fact]
    public void A_sandbox_that_failed_before_the_command_is_a_failure_that_never_started_not_an_exit_code()
    {
        var call = Execute(_linux, "sandbox-fails bwrap: Can't find source path /ws/.agents");

        var failed = Submit(call).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.False(failed.ProcessMayHaveStarted);
        Assert.Equal("sandbox failed to start: bwrap: Can't find source path /ws/.agents", failed.Reason);
    }

    [Fact]
    public void Protected_paths_the_command_created_are_in_the_recorded_result()
    {
        var executed = Submit(Execute(_linux, "creates /ws/src/.vscode")).ExpectMsg<CallExecuted>(Patience);

        var created = Assert.Single(executed.Result.CreatedProtectedPaths);
        Assert.Equal("/ws/src/.vscode", created.Path);
        Assert.Equal("/data/quarantine/x/.vscode", created.MovedTo);
    }

    [Fact]
    public void A_plan_for_a_worker_this_machine_lacks_is_refused_without_starting()
    {
        var call = Execute(_linux, "echo x");

        var failed = Submit(call with { Plan = call.Plan with { Worker = WorkerKind.Windows } }).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.Equal(call.CallId, failed.CallId);
        Assert.False(failed.ProcessMayHaveStarted);
        Assert.Contains("no windows execution worker", failed.Reason);
    }

    [Fact]
    public void The_unconfined_worker_refuses_a_plan_that_needs_confinement()
    {
        var call = Execute(_linux, "echo x");

        var failed = Submit(call with { Plan = call.Plan with { Worker = WorkerKind.None } }).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.False(failed.ProcessMayHaveStarted);
        Assert.Contains("does not run WorkspaceWrite plans", failed.Reason);
    }

    [Fact]
    public void A_sandbox_that_turns_out_unavailable_fails_the_call_as_not_started()
    {
        var failed = Submit(Execute(_linux, "unavailable")).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.False(failed.ProcessMayHaveStarted);
        Assert.Contains("injected: a needed layer is missing", failed.Reason);
    }

    [Fact]
    public async Task A_poisoned_call_fails_alone_while_other_executions_on_the_same_worker_finish()
    {
        var running = Execute(_linux, "block survivor");
        var survivor = Submit(running);
        await _linux.GateNamed("survivor").Started.Task.WaitAsync(Patience);

        var poisoned = Execute(_linux, "fail-async");
        var failed = Submit(poisoned).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.Equal(poisoned.CallId, failed.CallId);
        Assert.True(failed.ProcessMayHaveStarted);
        Assert.Contains("injected: the runner failed for this call", failed.Reason);
        _linux.GateNamed("survivor").Release("survived");
        var executed = survivor.ExpectMsg<CallExecuted>(Patience);
        Assert.Equal(running.CallId, executed.CallId);
        Assert.Equal("survived", CallOutput.From(executed.Result)!.Stdout);
        Assert.False(_linux.GateNamed("survivor").Cancelled.Task.IsCompleted);
        Assert.Equal(1, _sandboxesMade[WorkerKind.Linux]);
    }

    [Fact]
    public async Task A_crashing_worker_fails_and_kills_its_calls_leaves_other_workers_alone_and_is_restarted()
    {
        var onLinux = Execute(_linux, "block victim");
        var victim = Submit(onLinux);
        await _linux.GateNamed("victim").Started.Task.WaitAsync(Patience);
        var onNone = Execute(_linux, "block bystander", SandboxMode.DangerFullAccess);
        var bystander = Submit(onNone);
        await _none.GateNamed("bystander").Started.Task.WaitAsync(Patience);

        var crash = Execute(_linux, "throw-sync");
        var crashFailed = Submit(crash).ExpectMsg<CallExecutionFailed>(Patience);

        Assert.Equal(crash.CallId, crashFailed.CallId);
        Assert.True(crashFailed.ProcessMayHaveStarted);
        var victimFailed = victim.ExpectMsg<CallExecutionFailed>(Patience);
        Assert.Equal(onLinux.CallId, victimFailed.CallId);
        Assert.True(victimFailed.ProcessMayHaveStarted);
        Assert.Contains("crashed (InvalidOperationException: injected: the sandbox itself is broken)", victimFailed.Reason);
        await _linux.GateNamed("victim").Cancelled.Task.WaitAsync(Patience);

        Assert.False(_none.GateNamed("bystander").Cancelled.Task.IsCompleted);
        _none.GateNamed("bystander").Release("unaffected");
        Assert.Equal(onNone.CallId, bystander.ExpectMsg<CallExecuted>(Patience).CallId);

        // Until the backoff restarts the worker, calls are answered as not started, never dropped.
        await AwaitAssertAsync(() =>
        {
            var reply = Submit(Execute(_linux, "echo back")).ExpectMsg<object>(Patience);
            if (reply is CallExecutionFailed { ProcessMayHaveStarted: false }) throw new Xunit.Sdk.XunitException("still restarting");
            Assert.Equal("back", CallOutput.From(Assert.IsType<CallExecuted>(reply).Result)!.Stdout);
        }, Patience, TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, _sandboxesMade[WorkerKind.Linux]);
        Assert.Equal(1, _sandboxesMade[WorkerKind.None]);
    }

    [Fact]
    public void A_call_queued_behind_a_crash_is_delivered_again_and_runs_once_the_worker_is_back()
    {
        var crash = Submit(Execute(_linux, "throw-sync"));
        var queued = Execute(_linux, "echo after the restart");
        var requester = Submit(queued);

        Assert.True(crash.ExpectMsg<CallExecutionFailed>(Patience).ProcessMayHaveStarted);
        var ran = requester.ExpectMsg<CallExecuted>(Patience);
        Assert.Equal(queued.CallId, ran.CallId);
        Assert.Equal("after the restart", CallOutput.From(ran.Result)!.Stdout);
    }

    [Fact]
    public void A_call_for_a_worker_that_never_comes_back_is_answered_as_not_started_never_dropped()
    {
        var sandbox = new ScriptedSandbox();
        var supervisor = Sys.ActorOf(SandboxSupervisor.Props(_ => throw new InvalidOperationException("injected: never"), [WorkerKind.Linux]), "sandbox-never");
        var requester = CreateTestProbe();

        requester.Send(supervisor, Execute(sandbox, "echo never"));

        var failed = requester.ExpectMsg<CallExecutionFailed>(TimeSpan.FromSeconds(30));
        Assert.False(failed.ProcessMayHaveStarted);
        Assert.Contains("not started", failed.Reason);
    }

    [Fact]
    public async Task A_worker_whose_sandbox_cannot_be_made_yet_is_retried_with_backoff()
    {
        var attempts = 0;
        var sandbox = new ScriptedSandbox();
        var supervisor = Sys.ActorOf(SandboxSupervisor.Props(_ =>
            Interlocked.Increment(ref attempts) < 3 ? throw new InvalidOperationException("injected: not yet") : sandbox, [WorkerKind.Linux]), "sandbox-late");

        await AwaitAssertAsync(() =>
        {
            var requester = CreateTestProbe();
            requester.Send(supervisor, Execute(sandbox, "echo ready"));
            var reply = requester.ExpectMsg<object>(Patience);
            if (reply is CallExecutionFailed { ProcessMayHaveStarted: false }) throw new Xunit.Sdk.XunitException("not started yet");
            Assert.Equal("ready", CallOutput.From(Assert.IsType<CallExecuted>(reply).Result)!.Stdout);
        }, Patience, TimeSpan.FromMilliseconds(50));
        Assert.Equal(3, Volatile.Read(ref attempts));
    }

    [Fact]
    public void Only_the_workers_of_this_machine_and_the_unconfined_one_are_created_by_default()
    {
        var kinds = WorkerKinds.ForThisMachine();

        Assert.Equal(WorkerKind.None, kinds[^1]);
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsWindows() ? 2 : 1, kinds.Count);
        if (OperatingSystem.IsLinux()) Assert.Equal(WorkerKind.Linux, kinds[0]);
    }
}
