using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using static Orchestrator.Actors.Tests.Execution.ExecutionSpecPolicy;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>A run sent straight to the running worker (one message), with the supervisor's crash semantics kept.</summary>
public sealed class WorkerDirectorySpecs : Akka.TestKit.Xunit.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ScriptedSandbox _linux = new("linux-scripted");
    private readonly WorkerDirectory _directory = new();
    private readonly IActorRef _supervisor;

    public WorkerDirectorySpecs(ITestOutputHelper output) : base(output: output)
    {
        _supervisor = Sys.ActorOf(SandboxSupervisor.Props(_ => _linux, [WorkerKind.Linux, WorkerKind.None], _directory), SandboxSupervisor.Name);
    }

    private async Task<IActorRef> RunningWorkerAsync(IActorRef? not = null)
    {
        IActorRef? worker = null;
        await AwaitConditionAsync(() =>
        {
            worker = _directory.Current(WorkerKind.Linux);
            return Task.FromResult(worker is not null && !worker.Equals(not));
        }, Patience);
        return worker!;
    }

    [Fact]
    public async Task The_running_worker_of_each_kind_is_in_the_directory_and_answers_a_run_sent_straight_to_it()
    {
        var worker = await RunningWorkerAsync();
        Assert.Equal("/user/sandbox/linux/worker", worker.Path.ToStringWithoutAddress());
        var requester = CreateTestProbe();

        worker.Tell(new RunOnWorker(Execute(_linux, "echo straight"), requester, _supervisor));

        Assert.Equal("straight", CallOutput.From(requester.ExpectMsg<CallExecuted>(Patience).Result)!.Stdout);
    }

    [Fact]
    public async Task A_crashed_worker_leaves_the_directory_kills_its_runs_and_its_replacement_enters()
    {
        var crashed = await RunningWorkerAsync();
        var victim = CreateTestProbe();
        crashed.Tell(new RunOnWorker(Execute(_linux, "block victim"), victim, _supervisor));
        await _linux.GateNamed("victim").Started.Task.WaitAsync(Patience);

        crashed.Tell(new RunOnWorker(Execute(_linux, "throw-sync"), CreateTestProbe(), _supervisor));

        var failed = victim.ExpectMsg<CallExecutionFailed>(Patience);
        Assert.True(failed.ProcessMayHaveStarted);
        Assert.Contains("its process group was killed", failed.Reason);
        await _linux.GateNamed("victim").Cancelled.Task.WaitAsync(Patience);
        var replacement = await RunningWorkerAsync(not: crashed);
        var requester = CreateTestProbe();
        replacement.Tell(new RunOnWorker(Execute(_linux, "echo replaced"), requester, _supervisor));
        Assert.Equal("replaced", CallOutput.From(requester.ExpectMsg<CallExecuted>(Patience).Result)!.Stdout);
    }

    [Fact]
    public async Task A_run_sent_to_a_worker_that_stopped_meanwhile_is_delivered_again_by_the_supervisor_and_runs()
    {
        var crashed = await RunningWorkerAsync();
        crashed.Tell(new RunOnWorker(Execute(_linux, "throw-sync"), CreateTestProbe(), _supervisor));
        await AwaitConditionAsync(() => Task.FromResult(!crashed.Equals(_directory.Current(WorkerKind.Linux))), Patience);
        var requester = CreateTestProbe();

        // A session that read the directory just before the crash sends to the stopped worker.
        crashed.Tell(new RunOnWorker(Execute(_linux, "echo late"), requester, _supervisor));

        Assert.Equal("late", CallOutput.From(requester.ExpectMsg<CallExecuted>(Patience).Result)!.Stdout);
    }
}
