using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;
using static Orchestrator.Actors.Tests.Execution.ExecutionSpecPolicy;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>
/// One call through the real platform sandbox, end to end: plan, supervisor, worker, process. Needs the sandbox helper
/// (ops/setup.sh publishes it to artifacts/bin; ORCHESTRATOR_SANDBOX_HELPER points elsewhere) — without it the plan is
/// refused and this spec fails with that reason.
/// </summary>
public sealed class RealSandboxExecutionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("orchestrator-exec-");

    [Fact]
    public void Echo_and_a_side_effect_file_run_in_the_workspace_under_the_platform_sandbox()
    {
        var sandbox = PlatformSandbox.ForThisMachine();
        var call = Bash("echo hi; echo line >> sidefile", cwd: _workspace.FullName);
        var plan = PlanOf(ExecutionPlanner.Plan(call, SandboxMode.WorkspaceWrite, NetworkAccess.Off, Snapshot(_workspace.FullName), sandbox));
        Assert.NotEqual("none", plan.SandboxKind);
        var supervisor = Sys.ActorOf(SandboxSupervisor.Props(), SandboxSupervisor.Name);

        supervisor.Tell(new ExecuteCall(call.Id, plan), TestActor);
        var reply = ExpectMsg<object>(TimeSpan.FromSeconds(60));

        if (reply is CallExecutionFailed failed) Assert.Fail($"execution failed: {failed.Reason}");
        var executed = Assert.IsType<CallExecuted>(reply);
        Assert.True(executed.Result.ExitCode == 0, $"exit {executed.Result.ExitCode}, stderr: {CallOutput.From(executed.Result)!.Stderr}");
        Assert.Equal("hi\n", CallOutput.From(executed.Result)!.Stdout);
        Assert.Equal(3, executed.Result.StdoutBytes);
        Assert.Equal("line\n", File.ReadAllText(Path.Combine(_workspace.FullName, "sidefile")));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _workspace.Delete(recursive: true);
    }
}
