using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class WindowsSandboxTests
{
    private readonly WindowsSandbox _sandbox = new("S-1-5-21-1-2-3-1000");

    [Fact]
    public void Plan_refuses_off_Windows_with_a_reason()
    {
        if (OperatingSystem.IsWindows())
            return; // this test is about every other platform

        var plan = _sandbox.Plan(new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, Network = NetworkAccess.On });

        Assert.False(plan.CanRun);
        Assert.Contains("needs Windows", plan.RefusalReason);
        Assert.Equal("none", plan.Layers.Kind);
    }

    [Fact]
    public async Task RunAsync_off_Windows_throws_PlatformNotSupportedException()
    {
        if (OperatingSystem.IsWindows())
            return;

        await Assert.ThrowsAsync<PlatformNotSupportedException>(() =>
            _sandbox.RunAsync(new CommandRequest(@"C:\Windows\System32\whoami.exe", [], @"C:\"), new SandboxProfile { Mode = SandboxMode.ReadOnly }));
    }
}
