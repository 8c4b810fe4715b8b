using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Decides how a command runs confined on Windows, without touching the machine.
/// <para>Restricted token (default): a write-restricted copy of the caller's token with Administrators deny-only and
/// privileges stripped; writes succeed only where the sandbox SID is granted (writable roots, private temp), protected
/// paths carry deny entries. Reads are not confined and network cannot be blocked, so profiles with network off/ask
/// or with hidden paths are refused — they need an AppContainer.</para>
/// <para>AppContainer (when <see cref="WindowsSandboxOptions.AppContainerName"/> is set): no network without a
/// capability, reads only where granted, hidden paths carry deny entries.</para>
/// <para>Every plan puts the process in a job (kill on close, process/memory/CPU limits, UI restrictions).</para>
/// </summary>
public static partial class WindowsLaunchPlanBuilder
{
    /// <exception cref="ArgumentException">A path, SID, program, argument or environment entry that cannot be represented.</exception>
    public static WindowsLaunchPlan Build(SandboxProfile profile, CommandRequest request, WindowsSandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(request.Program))
            throw new ArgumentException("The program is empty.", nameof(request));

        var arguments = request.Arguments.IsDefault ? [] : request.Arguments;
        var commandLine = WindowsCommandLine.Build(request.Program, arguments);
        var workingDirectory = WindowsPath.Normalise(request.WorkingDirectory, "working directory");
        var applicationName = WindowsPath.IsFullyQualified(request.Program) ? request.Program : null;
        var guarantees = ImmutableArray.CreateBuilder<string>();
        var limitations = ImmutableArray.CreateBuilder<string>();
        var refusals = ImmutableArray.CreateBuilder<string>();

        if (applicationName is null)
            limitations.Add("The program is not a fully qualified path: CreateProcess searches for it, the current directory included.");
        limitations.Add("cmd.exe re-parses its command line by its own rules; the quoting here follows CommandLineToArgvW only.");
        if (request.Program.EndsWith(".bat", StringComparison.OrdinalIgnoreCase) || request.Program.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase))
            refusals.Add("Batch files run through cmd.exe, whose parsing does not match CommandLineToArgvW quoting; arguments could be reinterpreted. Run cmd.exe /c with a vetted line instead.");

        if (profile.Mode == SandboxMode.DangerFullAccess)
        {
            var directJob = Job(profile.Limits, JobUiRestrictions.None);
            guarantees.Add("No sandbox: danger-full-access runs with the caller's own token, by request.");
            guarantees.Add(JobGuarantee(directJob));
            limitations.Add(UnlimitedResources);
            var directEnvironment = WindowsEnvironmentBlock.Build(options.BaseEnvironment, request.Environment);
            return new WindowsLaunchPlan(false, WindowsIsolation.None, applicationName, commandLine, workingDirectory, null, null,
                directJob, [], directEnvironment, guarantees.ToImmutable(), limitations.ToImmutable(), refusals.ToImmutable());
        }

        if (!SidPattern().IsMatch(options.SandboxSid))
            throw new ArgumentException($"Not a SID in S-1-… form: {options.SandboxSid}", nameof(options));
        var sid = options.SandboxSid;
        var appContainer = options.AppContainerName is not null;
        var readOnly = profile.Mode == SandboxMode.ReadOnly;
        var networkOn = profile.Network == NetworkAccess.On;
        var privateTemp = WindowsPath.Normalise(options.PrivateTempDirectory, "private temp directory");
        var roots = readOnly ? [] : Distinct(profile.WritableRoots, "writable root");
        var protectedPaths = Distinct(profile.ProtectedPaths, "protected path");
        var hiddenPaths = Distinct(profile.HiddenPaths, "hidden path");
        // AppContainers run at low integrity, so whatever they write must carry a low label; so must a low-integrity token's.
        var lowLabel = appContainer || readOnly;

        var acl = ImmutableArray.CreateBuilder<AclEntry>();
        foreach (var root in roots)
            acl.Add(new AclEntry(root, AclPurpose.WritableRoot, AclEntryKind.Allow, sid, FileAccessRights.Modify, AclInheritance.ObjectsAndContainers, lowLabel));
        acl.Add(new AclEntry(privateTemp, AclPurpose.PrivateTemp, AclEntryKind.Allow, sid, FileAccessRights.Modify, AclInheritance.ObjectsAndContainers, lowLabel));
        if (appContainer && !roots.Any(r => WindowsPath.IsWithin(workingDirectory, r)))
            acl.Add(new AclEntry(workingDirectory, AclPurpose.WorkingDirectoryRead, AclEntryKind.Allow, sid, FileAccessRights.ReadAndExecute, AclInheritance.ObjectsAndContainers));
        if (!roots.IsEmpty)
        {
            foreach (var path in protectedPaths)
                acl.Add(new AclEntry(path, AclPurpose.ProtectedPath, AclEntryKind.Deny, sid, FileAccessRights.AnyWrite, AclInheritance.ObjectsAndContainers));
        }
        foreach (var ancestor in PinnedAncestors(protectedPaths.Concat(hiddenPaths), roots))
            acl.Add(new AclEntry(ancestor, AclPurpose.PinnedAncestor, AclEntryKind.Deny, sid, FileAccessRights.Delete, AclInheritance.ThisObjectOnly));
        foreach (var path in hiddenPaths)
            acl.Add(new AclEntry(path, AclPurpose.HiddenPath, AclEntryKind.Deny, sid, FileAccessRights.AnyAccess, AclInheritance.ObjectsAndContainers));

        RestrictedTokenSettings? token = null;
        AppContainerSettings? container = null;
        if (appContainer)
        {
            container = new AppContainerSettings(options.AppContainerName!, networkOn
                ? [WellKnownSids.InternetClientCapability, WellKnownSids.PrivateNetworkClientServerCapability]
                : []);
            guarantees.Add(networkOn
                ? "Network: outbound internet and private networks through the internetClient and privateNetworkClientServer capabilities."
                : "Network: none; the AppContainer holds no network capability.");
            guarantees.Add("Reads: only what the AppContainer SID or ALL APPLICATION PACKAGES is granted; hidden paths carry a deny entry.");
            limitations.Add("Reads are limited to system locations readable by ALL APPLICATION PACKAGES plus the working directory and writable roots; tools installed under the user profile may not start.");
            limitations.Add("Writable roots and the private temp directory are labelled low-integrity (AppContainers run at low integrity); the label stays after the run.");
            if (networkOn)
                limitations.Add("Loopback (localhost) is blocked for AppContainers unless a loopback exemption is configured.");
        }
        else
        {
            token = new RestrictedTokenSettings(
                DisableMaxPrivilege: true,
                WriteRestricted: true,
                DenyOnlySids: [WellKnownSids.BuiltinAdministrators, WellKnownSids.LocalAccountAndAdministrator],
                RestrictingSids: [sid, WellKnownSids.LogonSessionPlaceholder, WellKnownSids.Everyone],
                IntegrityLevelSid: readOnly ? WellKnownSids.LowIntegrity : WellKnownSids.MediumIntegrity,
                DefaultDaclGrantsRestrictingSid: true);
            guarantees.Add("Administrators are deny-only and every privilege but SeChangeNotifyPrivilege is removed.");
            if (readOnly)
                guarantees.Add("Low integrity: no writes to objects labelled medium or above, whatever their DACL.");
            limitations.Add("Reads are not confined: the command can read everything the user can.");
            limitations.Add("Objects whose DACL grants Everyone write access stay writable (Everyone is a restricting SID so that devices such as NUL work).");
            if (!networkOn)
                refusals.Add($"Network={profile.Network} cannot be enforced with a restricted token (it needs Windows Firewall rules or an AppContainer without network capabilities); set AppContainerName to use an AppContainer, or allow the network.");
            if (!hiddenPaths.IsEmpty)
                refusals.Add("Hidden paths cannot be enforced with a write-restricted token (restricting SIDs are checked for writes only); set AppContainerName to use an AppContainer.");
        }

        guarantees.Add(readOnly
            ? "Writes: only the private temp directory (and NUL)."
            : "Writes: only the writable roots and the private temp directory (where the sandbox SID is granted), minus protected paths.");
        if (!protectedPaths.IsEmpty && !roots.IsEmpty)
            limitations.Add("A protected path that does not exist at launch gets no entry (Windows ACLs attach to existing files): the command can create it and write to it.");
        limitations.Add("ACL entries are added to the paths' DACLs for the sandbox SID and are not removed after the run.");

        var job = Job(profile.Limits, AllUiRestrictions);
        guarantees.Add(JobGuarantee(job));
        limitations.Add(UnlimitedResources);

        var environment = WindowsEnvironmentBlock.Build(
            options.BaseEnvironment,
            request.Environment,
            [new("TEMP", privateTemp), new("TMP", privateTemp)]);

        return new WindowsLaunchPlan(true, appContainer ? WindowsIsolation.AppContainer : WindowsIsolation.RestrictedToken,
            applicationName, commandLine, workingDirectory, token, container, job, acl.ToImmutable(), environment,
            guarantees.ToImmutable(), limitations.ToImmutable(), refusals.ToImmutable());
    }

    private const JobUiRestrictions AllUiRestrictions =
        JobUiRestrictions.Handles | JobUiRestrictions.ReadClipboard | JobUiRestrictions.WriteClipboard | JobUiRestrictions.SystemParameters
        | JobUiRestrictions.DisplaySettings | JobUiRestrictions.GlobalAtoms | JobUiRestrictions.Desktop | JobUiRestrictions.ExitWindows;

    private const string UnlimitedResources = "Open-file and file-size limits have no job-object equivalent and are not applied.";

    private static JobObjectLimits Job(ResourceLimits limits, JobUiRestrictions ui) => new(
        KillOnJobClose: true,
        DieOnUnhandledException: true,
        AllowBreakaway: false,
        ActiveProcessLimit: limits.MaxProcesses,
        JobMemoryLimitBytes: limits.MaxMemoryBytes,
        PerJobUserTimeLimitTicks: limits.CpuSeconds is { } seconds ? seconds * TimeSpan.TicksPerSecond : null,
        UiRestrictions: ui);

    private static string JobGuarantee(JobObjectLimits job) =>
        $"Job object, assigned before the process runs: killed with the job handle, no breakaway, at most {job.ActiveProcessLimit} processes, "
        + $"{job.JobMemoryLimitBytes} bytes committed in all" + (job.PerJobUserTimeLimitTicks is { } t ? $", {t / TimeSpan.TicksPerSecond} s of CPU" : "") + ".";

    private static ImmutableArray<string> Distinct(ImmutableArray<string> paths, string what)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var path in paths.IsDefault ? [] : paths)
        {
            var normalised = WindowsPath.Normalise(path, what);
            if (seen.Add(normalised))
                result.Add(normalised);
        }
        return result.ToImmutable();
    }

    /// <summary>Directories from each protected or hidden path's parent up to its writable root: deleting or renaming one would move the path out from under its entry's name.</summary>
    private static IEnumerable<string> PinnedAncestors(IEnumerable<string> paths, ImmutableArray<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            foreach (var root in roots.Where(r => !path.Equals(r, StringComparison.OrdinalIgnoreCase) && WindowsPath.IsWithin(path, r)))
            {
                for (var dir = WindowsPath.Parent(path); dir is not null && WindowsPath.IsWithin(dir, root); dir = WindowsPath.Parent(dir))
                {
                    if (seen.Add(dir))
                        yield return dir;
                    if (dir.Equals(root, StringComparison.OrdinalIgnoreCase))
                        break;
                }
            }
        }
    }

    [GeneratedRegex(@"^S-1-[0-9]+(-[0-9]+)+$")]
    private static partial Regex SidPattern();
}
