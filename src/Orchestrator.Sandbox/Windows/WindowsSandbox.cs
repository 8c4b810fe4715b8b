using Orchestrator.Sandbox.Process;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Windows.Native;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Runs commands under a restricted token inside a job object (see <see cref="WindowsLaunchPlanBuilder"/>). Off
/// Windows it refuses every profile. On Windows it refuses what the plan cannot enforce (network off/ask and hidden
/// paths with a restricted token) and AppContainer plans, whose launch is not implemented. The Windows path is
/// UNVERIFIED: it compiles here and has never run.
/// </summary>
/// <param name="sandboxSid">The restricting SID granted on writable roots; keep it stable per workspace.</param>
public sealed class WindowsSandbox(string sandboxSid, string? appContainerName = null) : ICommandSandbox
{
    public string Kind => "windows";

    /// <summary>The scrubbed base environment passed to every command (Windows programs generally need SystemRoot).</summary>
    public ImmutableDictionary<string, string> BaseEnvironment { get; init; } = ImmutableDictionary<string, string>.Empty;

    public SandboxPlan Plan(SandboxProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!OperatingSystem.IsWindows())
        {
            var why = $"The Windows sandbox needs Windows; this is {RuntimeInformation.OSDescription}.";
            return new SandboxPlan(false, SandboxLayers.None(why), why);
        }
        var (plan, _) = PlanFor(profile, new CommandRequest(@"C:\plan-only.exe", [], @"C:\"), @"C:\plan-only-temp");
        return plan;
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(profile);
        if (!OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException($"The Windows sandbox runs only on Windows; this is {RuntimeInformation.OSDescription}.");
        return await RunOnWindowsAsync(request, profile, cancellationToken).ConfigureAwait(false);
    }

    private (SandboxPlan Plan, WindowsLaunchPlan Launch) PlanFor(SandboxProfile profile, CommandRequest request, string privateTemp)
    {
        var options = new WindowsSandboxOptions(sandboxSid, privateTemp) { AppContainerName = appContainerName, BaseEnvironment = BaseEnvironment };
        var launch = WindowsLaunchPlanBuilder.Build(profile, request, options);
        var refusals = launch.Refusals.ToList();
        if (launch.Isolation == WindowsIsolation.AppContainer)
            refusals.Add("AppContainer launch is not implemented in this build.");
        var active = launch.Isolation switch
        {
            WindowsIsolation.RestrictedToken => new[] { "restricted-token", "acl", "job-object" },
            WindowsIsolation.AppContainer => ["appcontainer", "acl", "job-object"],
            _ => ["job-object"],
        };
        var layers = new SandboxLayers(launch.Sandboxed ? "windows" : "none", active, [.. launch.Limitations]);
        var why = refusals.Count == 0 ? null : string.Join(" ", refusals);
        return (new SandboxPlan(why is null, layers, why), launch);
    }

    [SupportedOSPlatform("windows")]
    private async Task<CommandResult> RunOnWindowsAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("orchestrator-sbx-");
        try
        {
            var (plan, launch) = PlanFor(profile, request, temp.FullName);
            if (!plan.CanRun)
                throw new SandboxUnavailableException(plan.RefusalReason ?? "The Windows sandbox cannot enforce this profile.");

            var clock = Stopwatch.StartNew();
            using var process = WindowsProcessLauncher.Start(launch);
            var stdout = DrainAsync(process.Stdout, request.Output);
            var stderr = DrainAsync(process.Stderr, request.Output);
            var timedOut = !await WaitForExitAsync(process, request.Timeout, cancellationToken).ConfigureAwait(false);
            if (timedOut)
                WindowsNative.TerminateJobObject(process.Job, CommandResult.TimeoutExitCode);
            WindowsNative.GetExitCodeProcess(process.Process, out var exitCode);

            // Grandchildren may hold the pipes: give them the drain timeout, then kill the whole job.
            var drained = Task.WhenAll(stdout, stderr);
            if (await Task.WhenAny(drained, Task.Delay(request.Output.EffectiveDrainTimeout, CancellationToken.None)).ConfigureAwait(false) != drained)
                WindowsNative.TerminateJobObject(process.Job, 1);
            var outputs = await drained.ConfigureAwait(false);

            return new CommandResult(timedOut ? CommandResult.TimeoutExitCode : unchecked((int)exitCode), timedOut, null, clock.Elapsed, outputs[0], outputs[1], plan.Layers);
        }
        finally
        {
            try { temp.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    [SupportedOSPlatform("windows")]
    private static async Task<bool> WaitForExitAsync(WindowsStartedProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                WindowsNative.TerminateJobObject(process.Job, 1);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var exited = await Task.Run(() => WindowsNative.WaitForSingleObject(process.Process, 100) == WindowsNative.WAIT_OBJECT_0, CancellationToken.None)
                .ConfigureAwait(false);
            if (exited)
                return true;
        }
        return false;
    }

    private static Task<CapturedOutput> DrainAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, OutputLimits limits) => Task.Run(() =>
    {
        using var buffer = new HeadTailBuffer(limits.HeadBytes, limits.TailBytes);
        using var stream = new FileStream(handle, FileAccess.Read, 1, isAsync: false);
        var chunk = new byte[64 * 1024];
        int read;
        try
        {
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                buffer.Write(chunk.AsSpan(0, read));
        }
        catch (IOException)
        {
            // ERROR_BROKEN_PIPE: every writer has gone.
        }
        return buffer.ToCapturedOutput();
    });
}
