using Orchestrator.Sandbox.Linux;

namespace Orchestrator.Sandbox;

/// <summary>Picks the sandbox for the machine we run on.</summary>
public static class PlatformSandbox
{
    public static ICommandSandbox ForThisMachine()
    {
        if (OperatingSystem.IsLinux()) return new LinuxSandbox(SandboxTools.Discover());
        if (OperatingSystem.IsMacOS()) return new MacOS.MacOSSandbox();
        if (OperatingSystem.IsWindows()) return new Windows.WindowsSandbox();
        throw new PlatformNotSupportedException($"no sandbox for {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }
}
