using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Linux: the NativeAOT helper (Landlock + seccomp + limits + new session) alone, or inside bubblewrap when it is
/// installed. A mode that needs confinement is refused when the kernel cannot give it — never run unconfined.
/// </summary>
public sealed class LinuxSandbox(SandboxTools tools) : ICommandSandbox
{
    public string Kind => tools.BubblewrapPath is null ? "linux-builtin" : "linux-bwrap";

    public SandboxPlan Plan(SandboxProfile profile)
    {
        if (tools.HelperPath is null)
            return Refuse("the sandbox helper (orchestrator-sandbox) was not found; run ops/setup.sh or set ORCHESTRATOR_SANDBOX_HELPER");
        if (profile.Mode == SandboxMode.DangerFullAccess)
            return new SandboxPlan(true, new SandboxLayers("none", ["new session", "cgroup when available"], ["danger-full-access: no confinement by request"]), null);

        var features = tools.Features;
        var missing = new List<string>();
        if (features.Problem is not null) missing.Add(features.Problem);
        if (features.LandlockAbi < 1) missing.Add("Landlock (kernel lacks it or it is disabled)");
        if (!features.Seccomp) missing.Add("seccomp");
        if (missing.Count > 0)
            return Refuse($"mode {profile.Mode} needs {string.Join(" and ", missing)}; refusing to run unconfined");

        var active = new List<string> { $"landlock abi {features.LandlockAbi}", "seccomp", "no-new-privs", "new session", "closed fds", "rlimits" };
        var unavailable = new List<string>();
        if (!profile.NetworkAllowed)
        {
            if (features.LandlockAbi >= 4) active.Add("landlock tcp deny");
            else unavailable.Add("landlock tcp deny needs abi 4");
        }
        if (features.LandlockAbi >= 6) active.Add("landlock scope (abstract unix sockets, signals)");
        else unavailable.Add("landlock scoping needs abi 6");
        if (tools.BubblewrapPath is not null) active.InsertRange(0, ["bubblewrap (mount, pid, ipc, uts, user, net namespaces)", "cap-drop ALL"]);
        else unavailable.Add("bubblewrap not installed: new files cannot be created directly in a directory that holds a protected path");
        return new SandboxPlan(true, new SandboxLayers(Kind, active, unavailable), null);
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default)
    {
        var plan = Plan(profile);
        if (!plan.CanRun) throw new SandboxUnavailableException(plan.RefusalReason!);
        if (!Directory.Exists(request.WorkingDirectory))
            throw new SandboxUnavailableException($"working directory {request.WorkingDirectory} does not exist");

        var id = Guid.NewGuid().ToString("n")[..16];
        using var cgroup = CommandCgroup.TryCreate(profile.Limits, id, out var noCgroup);
        var layers = plan.Layers with
        {
            Active = cgroup is null ? plan.Layers.Active : [.. plan.Layers.Active, "cgroup (pids, memory)"],
            Unavailable = cgroup is null && noCgroup is not null ? [.. plan.Layers.Unavailable, noCgroup] : plan.Layers.Unavailable,
        };
        var cgroups = cgroup?.Directories ?? [];
        var privateTmp = Directory.CreateTempSubdirectory("orchestrator-tmp-").FullName;
        IReadOnlyList<string> stubs = [];
        try
        {
            var launch = BuildLaunch(request, profile, cgroups, cgroup is not null, privateTmp, out stubs);
            var runner = new ProcessRunner(_ =>
            {
                cgroup?.KillAll();
                return ValueTask.CompletedTask;
            });
            var outcome = await runner.RunAsync(launch, request.Output, request.Timeout, cancellationToken).ConfigureAwait(false);
            cgroup?.KillAll();
            return new CommandResult(outcome.ExitCode, outcome.TimedOut, outcome.Signal, outcome.Duration, outcome.Stdout, outcome.Stderr, layers);
        }
        finally
        {
            foreach (var stub in stubs) RemoveEmptyStub(stub);
            try { Directory.Delete(privateTmp, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// The exact process to start for a request: the helper alone, or the helper handing bubblewrap our seccomp filter
    /// with the helper again inside. <paramref name="stubs"/> are mount points bubblewrap will create and we remove.
    /// </summary>
    public LaunchPlan BuildLaunch(CommandRequest request, SandboxProfile profile, IReadOnlyList<string> cgroups, bool hasCgroup,
        string privateTmp, out IReadOnlyList<string> stubs)
    {
        stubs = [];
        var helper = tools.HelperPath ?? throw new SandboxUnavailableException("the sandbox helper (orchestrator-sandbox) was not found");
        var environment = EnvironmentScrubber.Default.Scrub(EnvironmentScrubber.CurrentProcessEnvironment(), request.Environment);
        ImmutableArray<string> arguments;
        if (profile.Mode == SandboxMode.DangerFullAccess)
            arguments = [.. HelperArguments.Unconfined(request.WorkingDirectory, cgroups), "--", request.Program, .. request.Arguments];
        else if (tools.BubblewrapPath is { } bwrap)
        {
            var bw = BubblewrapArguments.Build(profile, helper, request.WorkingDirectory);
            stubs = bw.CreatedMountPoints.Where(p => !Path.Exists(p)).ToArray();
            arguments = [.. HelperArguments.OutsideBubblewrap(profile, cgroups), "--", bwrap, .. bw.Arguments, "--", helper,
                .. HelperArguments.InsideBubblewrap(profile, hasCgroup, request.WorkingDirectory), "--", request.Program, .. request.Arguments];
            environment = environment.SetItem("TMPDIR", "/tmp");
        }
        else
        {
            arguments = [.. HelperArguments.BuiltIn(profile, privateTmp, cgroups, hasCgroup, request.WorkingDirectory),
                "--", request.Program, .. request.Arguments];
            environment = environment.SetItem("TMPDIR", privateTmp);
        }
        return new LaunchPlan(helper, arguments, request.WorkingDirectory, environment);
    }

    private static void RemoveEmptyStub(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length == 0 && info.LinkTarget is null) info.Delete();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static SandboxPlan Refuse(string reason) => new(false, SandboxLayers.None(reason), reason);
}
