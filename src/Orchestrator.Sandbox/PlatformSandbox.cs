using Orchestrator.Sandbox.Linux;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox;

/// <summary>Picks the sandbox for the machine we run on.</summary>
public static class PlatformSandbox
{
    /// <summary>
    /// The restricting SID the Windows sandbox grants on writable roots (a fixed, otherwise unused SID so grants stay
    /// stable across runs). Unverified: the Windows launcher has never run (README).
    /// </summary>
    public const string WindowsSandboxSid = "S-1-5-21-3623811015-3361044348-30300820-4242";

    /// <param name="dataDirectory">
    /// Orchestrator's data directory (the server's <c>--data</c>): what the Linux sandbox takes out of a workspace goes
    /// to its <c>quarantine</c>. Null: the default data directory.
    /// </param>
    public static ICommandSandbox ForThisMachine(string? dataDirectory = null)
    {
        if (OperatingSystem.IsLinux())
            return new LinuxSandbox(SandboxTools.Discover(),
                dataDirectory is null ? null : new Linux.Workspace.Quarantine(Path.Combine(Path.GetFullPath(dataDirectory), "quarantine")));
        if (OperatingSystem.IsMacOS()) return new MacOS.MacOSSandbox(RunDirectlyAsync);
        if (OperatingSystem.IsWindows()) return new Windows.WindowsSandbox(WindowsSandboxSid);
        throw new PlatformNotSupportedException($"no sandbox for {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }

    /// <summary>Runs a launch line (sandbox-exec …) with the process runner, scrubbing the environment.</summary>
    private static async Task<CommandResult> RunDirectlyAsync(string fileName, IReadOnlyList<string> arguments, CommandRequest request, CancellationToken ct)
    {
        var environment = EnvironmentScrubber.Default.Scrub(EnvironmentScrubber.CurrentProcessEnvironment(), request.Environment);
        var plan = new LaunchPlan(fileName, [.. arguments], request.WorkingDirectory, environment);
        var outcome = await new ProcessRunner().RunAsync(plan, request.Output, request.Timeout, ct).ConfigureAwait(false);
        return new CommandResult(outcome.ExitCode, outcome.TimedOut, outcome.Signal, outcome.Duration, outcome.Stdout, outcome.Stderr,
            new SandboxLayers("macos", [MacOS.MacOSSandbox.LayerName], []));
    }
}
