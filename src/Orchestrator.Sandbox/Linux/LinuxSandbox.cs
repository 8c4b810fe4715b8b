using System.Collections.Immutable;
using System.Runtime.Versioning;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Linux.Workspace;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Linux: the NativeAOT helper (mount namespace, Landlock, seccomp, limits, new session) alone, or inside bubblewrap
/// when it is installed. A mode that needs confinement is refused when the kernel cannot give it — never run
/// unconfined. Nothing is created on the host for a run: protected and hidden paths are covered by mounts in a
/// namespace of the helper's own; protected names that do not exist yet are watched (<see cref="WorkspaceIndexes"/>)
/// and, if a command creates one, moved into the quarantine afterwards and reported.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LinuxSandbox : ICommandSandbox
{
    private const int StatusTextLimit = 2000;
    private const int ExposedPatternLimit = 1000;
    private static readonly Lazy<bool> HostLeftoversRemoved = new(RemoveHostLeftovers);
    private readonly SandboxTools _tools;
    private readonly Quarantine _quarantine;
    private readonly WorkspaceIndexes _indexes;

    /// <param name="quarantine">Where taken-out paths go; null: under the default data directory.</param>
    /// <param name="indexes">The workspace indexes; null: this process's (<see cref="WorkspaceIndexes.Shared"/>).</param>
    public LinuxSandbox(SandboxTools tools, Quarantine? quarantine = null, WorkspaceIndexes? indexes = null)
    {
        _tools = tools;
        _quarantine = quarantine ?? Quarantine.Default();
        _indexes = indexes ?? WorkspaceIndexes.Shared;
        _ = HostLeftoversRemoved.Value; // once per process, when the sandbox is first set up (a server: at start)
    }

    public string Kind => Bubblewrap is null ? "linux-builtin" : "linux-bwrap";

    /// <summary>
    /// bubblewrap when it is installed and can work: it needs the same namespaces the helper does (root, or user
    /// namespaces); without them the built-in layer's fallback runs and says so.
    /// </summary>
    private string? Bubblewrap => _tools.BubblewrapPath is { } bwrap && _tools.Features.MountNamespace ? bwrap : null;

    public SandboxPlan Plan(SandboxProfile profile)
    {
        if (_tools.HelperPath is null)
            return Refuse("the sandbox helper (orchestrator-sandbox) was not found; run ops/setup.sh or set ORCHESTRATOR_SANDBOX_HELPER");
        if (profile.Mode == SandboxMode.DangerFullAccess)
            return new SandboxPlan(true, new SandboxLayers("none", ["new session", "cgroup when available"], ["danger-full-access: no confinement by request"]), null);

        var features = _tools.Features;
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
        if (Bubblewrap is not null)
        {
            active.InsertRange(0, ["bubblewrap (mount, pid, ipc, uts, user, net namespaces)", "all capabilities dropped"]);
            active.Add(MountLayer);
        }
        else if (features.MountNamespace)
        {
            active.Add(MountLayer + ", private /tmp");
        }
        else
        {
            if (_tools.BubblewrapPath is not null) unavailable.Add("bubblewrap is installed but cannot create namespaces here either");
            unavailable.Add("no mount namespace (unprivileged user namespaces are disabled): protected paths are kept read-only by Landlock " +
                            "rights granted child by child, so nothing new can be created directly in a directory that holds one; hidden paths " +
                            "likewise, and the names inside a hidden directory stay listable");
        }
        if (profile.Mode == SandboxMode.WorkspaceWrite)
            active.Add("protected names created while the command runs: found afterwards (inotify), moved into the quarantine, reported");
        return new SandboxPlan(true, new SandboxLayers(Kind, active, unavailable), null);
    }

    private const string MountLayer = "mount namespace (existing protected paths read-only at any depth, hidden paths covered)";

    private bool UsesMountNamespace => _tools.Features.MountNamespace;

    public async Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default)
    {
        var plan = Plan(profile);
        if (!plan.CanRun) throw new SandboxUnavailableException(plan.RefusalReason!);
        if (!Directory.Exists(request.WorkingDirectory))
            throw new SandboxUnavailableException($"working directory {request.WorkingDirectory} does not exist");

        using var cgroup = CommandCgroup.TryCreate(profile.Limits, CommandCgroup.NameFor(Guid.NewGuid().ToString("n")[..16]), out var noCgroup);
        var cgroups = cgroup?.Directories ?? [];
        using var workspace = profile.Mode == SandboxMode.DangerFullAccess ? null : _indexes.Begin(profile, _quarantine);
        var mounts = workspace is null ? null : PlanMounts(request, profile, workspace);
        var layers = plan.Layers with
        {
            Active = cgroup is null ? plan.Layers.Active : [.. plan.Layers.Active, "cgroup (pids, memory)"],
            Unavailable = [.. plan.Layers.Unavailable, .. cgroup is null && noCgroup is not null ? [noCgroup] : Array.Empty<string>(),
                .. workspace?.Notes ?? [], .. mounts?.Notes ?? []],
        };
        var privateTmp = mounts is not null && !UsesMountNamespace
            ? Directory.CreateTempSubdirectory($"orchestrator-tmp-{Environment.ProcessId}-").FullName
            : null;
        using var status = StatusPipe.Create();
        try
        {
            var launch = BuildLaunch(request, profile, mounts, cgroups, cgroup is not null, privateTmp, status.WriteDescriptor);
            var runner = new ProcessRunner(_ =>
            {
                cgroup?.KillAll();
                return ValueTask.CompletedTask;
            });
            var outcome = await runner.RunAsync(launch, request.Output, request.Timeout, cancellationToken).ConfigureAwait(false);
            cgroup?.KillAll();
            var started = status.CommandStarted();
            var created = workspace?.End() ?? [];
            return new CommandResult(outcome.ExitCode, outcome.TimedOut, outcome.Signal, outcome.Duration, outcome.Stdout, outcome.Stderr, layers)
            {
                SandboxFailure = started ? null : FailureOf(outcome),
                CreatedProtectedPaths = created,
                Notices = [.. workspace?.Notices ?? []],
                // Asked only of a run that failed: a run that succeeded needs no explaining (and costs no read).
                KilledAtMemoryLimit = outcome.ExitCode != 0 && cgroup is { KilledForMemory: true } ? profile.Limits.MaxMemoryBytes : null,
            };
        }
        finally
        {
            workspace?.End(); // a run cut short still has what it created moved away
            if (privateTmp is not null)
            {
                try { Directory.Delete(privateTmp, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    /// <summary>The launch line for a request (what <c>orchestrator run --print-launch</c> shows): the indexes are consulted as for a run.</summary>
    public LaunchPlan DescribeLaunch(CommandRequest request, SandboxProfile profile, string privateTmp)
    {
        using var workspace = profile.Mode == SandboxMode.DangerFullAccess ? null : _indexes.Begin(profile, _quarantine);
        var mounts = workspace is null ? null : PlanMounts(request, profile, workspace);
        return BuildLaunch(request, profile, mounts, [], false, mounts is not null && !UsesMountNamespace ? privateTmp : null, statusFd: null);
    }

    /// <summary>
    /// The exact process to start: the helper alone, or bubblewrap with the helper inside. <paramref name="statusFd"/>
    /// is inherited by the helper, which reports on it that the command starts.
    /// </summary>
    public LaunchPlan BuildLaunch(CommandRequest request, SandboxProfile profile, MountPlan? mounts, IReadOnlyList<string> cgroups, bool hasCgroup,
        string? privateTmp, int? statusFd)
    {
        var helper = _tools.HelperPath ?? throw new SandboxUnavailableException("the sandbox helper (orchestrator-sandbox) was not found");
        var environment = EnvironmentScrubber.Default.Scrub(EnvironmentScrubber.CurrentProcessEnvironment(), request.Environment);
        // The helper's test switches (they only ever make it refuse or fall back, never weaken it) reach it as set for us.
        foreach (var (name, value) in EnvironmentScrubber.CurrentProcessEnvironment())
            if (name.StartsWith("ORCHESTRATOR_SANDBOX_FAKE_", StringComparison.Ordinal)) environment = environment.SetItem(name, value);
        var cwd = request.WorkingDirectory;
        string program;
        ImmutableArray<string> arguments;
        int? lifeline = null;
        if (profile.Mode == SandboxMode.DangerFullAccess || mounts is null)
        {
            program = helper;
            arguments = [.. HelperArguments.Unconfined(cwd, cgroups, statusFd), "--", request.Program, .. request.Arguments];
        }
        else if (Bubblewrap is { } bwrap)
        {
            program = bwrap;
            lifeline = statusFd is null ? null : Lifeline.ReadDescriptor;
            arguments = [.. BubblewrapArguments.Build(profile, helper, cwd, cgroups), "--", helper,
                .. HelperArguments.InsideBubblewrap(profile, mounts, statusFd, lifeline, cgroups, hasCgroup, cwd), "--", request.Program, .. request.Arguments];
            environment = environment.SetItem("TMPDIR", "/tmp");
            // bubblewrap leads a process group of its own (setsid(1) execs it in place, same pid), so killing a run cut
            // short (the group) also kills the child bubblewrap forks first: until bubblewrap tells it to go on, that
            // child has no parent-death signal and waits for the word forever if bubblewrap alone is killed.
            if (_tools.SetsidPath is { } setsid)
            {
                arguments = [program, .. arguments];
                program = setsid;
            }
        }
        else if (privateTmp is null)
        {
            program = helper;
            arguments = [.. HelperArguments.BuiltIn(profile, mounts, statusFd, cgroups, hasCgroup, cwd), "--", request.Program, .. request.Arguments];
            environment = environment.SetItem("TMPDIR", "/tmp");
        }
        else
        {
            program = helper;
            arguments = [.. HelperArguments.BuiltInWithoutMountNamespace(profile, mounts, privateTmp, statusFd, cgroups, hasCgroup, cwd),
                "--", request.Program, .. request.Arguments];
            environment = environment.SetItem("TMPDIR", privateTmp);
        }
        return new LaunchPlan(program, arguments, cwd, environment)
        {
            InheritedDescriptors = [.. new[] { statusFd, lifeline }.OfType<int>()],
        };
    }

    private static MountPlan PlanMounts(CommandRequest request, SandboxProfile profile, WorkspaceRun workspace) =>
        MountPlan.For(profile, request.WorkingDirectory, workspace.ExistingProtected, workspace.HiddenMatches, Exposed(profile), FinalTarget);

    /// <summary>The profile's exposed paths and what its exposed globs match inside the hidden directories (a bounded look).</summary>
    private static IEnumerable<string> Exposed(SandboxProfile profile)
    {
        var found = new List<string>(profile.ExposedPaths);
        foreach (var pattern in profile.ExposedPatterns)
            foreach (var anchor in pattern.Anchors.Where(Directory.Exists))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0, MaxRecursionDepth = 8 };
                found.AddRange(Directory.EnumerateFileSystemEntries(anchor, "*", options).Take(ExposedPatternLimit).Where(pattern.Matches));
            }
        return found;
    }

    private static string? FinalTarget(string path)
    {
        try { return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string FailureOf(ProcessOutcome outcome)
    {
        if (outcome.TimedOut || outcome.Cancelled) return "the sandbox had not started the command when it was stopped";
        var text = outcome.Stderr.Text.Trim();
        if (text.Length > StatusTextLimit) text = text[..StatusTextLimit] + "…";
        return text.Length > 0 ? text : $"the sandbox exited with {outcome.ExitCode} before starting the command";
    }

    /// <summary>What earlier processes that died (a crash) left on the host: cgroups, and private temporary directories of the fallback.</summary>
    private static bool RemoveHostLeftovers()
    {
        CommandCgroup.RemoveLeftovers();
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "orchestrator-tmp-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length >= 4 && int.TryParse(parts[2], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
        return true;
    }

    private static SandboxPlan Refuse(string reason) => new(false, SandboxLayers.None(reason), reason);
}
