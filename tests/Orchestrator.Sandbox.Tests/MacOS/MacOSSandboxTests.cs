using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.MacOS;

namespace Orchestrator.Sandbox.Tests.MacOS;

public sealed class MacOSSandboxTests
{
    private static MacOSSandbox CreateWithRecordingRunner(List<string> calls) =>
        new((file, _, _, _) =>
        {
            calls.Add(file);
            return Task.FromResult(new CommandResult(0, false, null, TimeSpan.Zero, CapturedOutput.Empty, CapturedOutput.Empty, SandboxLayers.None("test")));
        });

    [Fact]
    public void Plan_refuses_off_macOS_with_a_reason()
    {
        if (OperatingSystem.IsMacOS())
            return; // this test is about every other platform
        var sandbox = CreateWithRecordingRunner([]);

        var plan = sandbox.Plan(new SandboxProfile { Mode = SandboxMode.WorkspaceWrite });

        Assert.False(plan.CanRun);
        Assert.Contains("macOS", plan.RefusalReason);
    }

    [Fact]
    public async Task RunAsync_off_macOS_throws_and_never_calls_the_runner()
    {
        if (OperatingSystem.IsMacOS())
            return; // this test is about every other platform
        var calls = new List<string>();
        var sandbox = CreateWithRecordingRunner(calls);

        await Assert.ThrowsAsync<PlatformNotSupportedException>(() =>
            sandbox.RunAsync(new CommandRequest("/bin/true", [], "/"), new SandboxProfile { Mode = SandboxMode.ReadOnly }));
        Assert.Empty(calls);
    }
}
