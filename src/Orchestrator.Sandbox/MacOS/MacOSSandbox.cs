using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// Runs commands under Seatbelt via <c>/usr/bin/sandbox-exec</c>. Process execution (pipes, output capture, timeout)
/// is delegated to <c>run</c>, which receives the launch plan's file name and arguments and the request (with TMPDIR
/// set to a fresh private directory). Refuses everything off macOS.
/// </summary>
public sealed class MacOSSandbox(Func<string, IReadOnlyList<string>, CommandRequest, CancellationToken, Task<CommandResult>> run) : ICommandSandbox
{
    public const string LayerName = "seatbelt";

    private readonly Func<string, IReadOnlyList<string>, CommandRequest, CancellationToken, Task<CommandResult>> _run =
        run ?? throw new ArgumentNullException(nameof(run));

    public string Kind => "macos";

    public SandboxPlan Plan(SandboxProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!OperatingSystem.IsMacOS())
        {
            var why = $"Seatbelt needs macOS; this is {RuntimeInformation.OSDescription}.";
            return new SandboxPlan(false, SandboxLayers.None(why), why);
        }
        return PlanOnMacOS(profile);
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(profile);
        if (!OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException($"The macOS sandbox runs only on macOS; this is {RuntimeInformation.OSDescription}.");
        return await RunOnMacOSAsync(request, profile, cancellationToken).ConfigureAwait(false);
    }

    [SupportedOSPlatform("macos")]
    private static SandboxPlan PlanOnMacOS(SandboxProfile profile)
    {
        if (profile.Mode == SandboxMode.DangerFullAccess)
            return new SandboxPlan(true, SandboxLayers.None("danger-full-access: no sandbox by request"), null);
        if (!File.Exists(SeatbeltLaunchPlanBuilder.SandboxExec))
        {
            var why = $"{SeatbeltLaunchPlanBuilder.SandboxExec} is missing; {Describe(profile.Mode)} needs Seatbelt.";
            return new SandboxPlan(false, SandboxLayers.None(why), why);
        }
        return new SandboxPlan(true, new SandboxLayers(LayerName, [LayerName], [NoResourceLimits]), null);
    }

    private const string NoResourceLimits = "resource limits: Seatbelt has none and this sandbox sets no rlimits";

    [SupportedOSPlatform("macos")]
    private async Task<CommandResult> RunOnMacOSAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken)
    {
        var plan = PlanOnMacOS(profile);
        if (!plan.CanRun)
            throw new SandboxUnavailableException(plan.RefusalReason ?? "Seatbelt is unavailable.");

        if (profile.Mode == SandboxMode.DangerFullAccess)
        {
            var direct = SeatbeltLaunchPlanBuilder.Build(profile, request);
            var unsandboxed = await _run(direct.FileName, direct.Arguments, request, cancellationToken).ConfigureAwait(false);
            return unsandboxed with { Layers = plan.Layers };
        }

        var tmp = Directory.CreateTempSubdirectory("orchestrator-sbx-");
        try
        {
            var launch = SeatbeltLaunchPlanBuilder.Build(profile, request, tmp.FullName);
            var sandboxedRequest = request with
            {
                Environment = request.Environment.SetItem("TMPDIR", tmp.FullName + "/"),
            };
            var result = await _run(launch.FileName, launch.Arguments, sandboxedRequest, cancellationToken).ConfigureAwait(false);
            return result with { Layers = plan.Layers };
        }
        finally
        {
            try { tmp.Delete(recursive: true); }
            catch (IOException) { /* left for the OS to clean; a command may still hold files open */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static string Describe(SandboxMode mode) => mode == SandboxMode.ReadOnly ? "read-only" : "workspace-write";
}
