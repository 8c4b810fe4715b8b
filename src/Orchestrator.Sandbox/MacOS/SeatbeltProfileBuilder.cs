using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// Builds the Seatbelt (SBPL) profile for a <see cref="SandboxProfile"/>: deny by default; processes, signals and
/// process info within the sandbox; a short list of sysctls and mach services; reads everywhere except hidden paths;
/// writes to <c>/dev/null</c>, the private tmp and the writable roots, minus protected and hidden paths; network only
/// when the profile allows it. SBPL applies the last matching rule, so every deny follows the allow it narrows.
/// </summary>
public static class SeatbeltProfileBuilder
{
    public const string PrivateTmpParameter = "PRIVATE_TMP";
    public const string WritableRootPrefix = "WRITABLE_ROOT_";
    public const string ProtectedPrefix = "PROTECTED_";
    public const string HiddenPrefix = "HIDDEN_";
    public const string PinnedPrefix = "PINNED_";

    /// <param name="profile">ReadOnly or WorkspaceWrite; DangerFullAccess has no profile (the command runs directly).</param>
    /// <param name="privateTmpDirectory">A directory private to this command, made writable (TMPDIR should point at it).</param>
    /// <exception cref="ArgumentException">DangerFullAccess, or a path that is relative, non-canonical, or has a NUL or line break.</exception>
    public static SeatbeltPolicy Build(SandboxProfile profile, string? privateTmpDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Mode == SandboxMode.DangerFullAccess)
            throw new ArgumentException("danger-full-access runs without Seatbelt; there is no profile to build.", nameof(profile));

        var writableRoots = profile.Mode == SandboxMode.WorkspaceWrite
            ? Distinct(profile.WritableRoots, "writable root")
            : [];
        var protectedPaths = Distinct(profile.ProtectedPaths, "protected path");
        var hiddenPaths = Distinct(profile.HiddenPaths, "hidden path");
        var tmp = privateTmpDirectory is null ? null : MacPath.Canonicalise(privateTmpDirectory, "private tmp");
        var pinned = PinnedAncestors(protectedPaths.Concat(hiddenPaths), writableRoots);

        var parameters = ImmutableArray.CreateBuilder<string>();
        var text = new StringBuilder();
        text.Append("(version 1)\n");
        text.Append($"; Orchestrator seatbelt profile: mode={ModeName(profile.Mode)} network={NetworkName(profile.Network)}\n");
        text.Append("(deny default)\n");
        AppendFixedRules(text);

        text.Append("\n; reads: everywhere, except hidden paths (denied below)\n");
        text.Append("(allow file-read*)\n");

        text.Append("\n; writes: /dev/null, the private tmp, the writable roots\n");
        text.Append("(allow file-write-data (literal \"/dev/null\"))\n");
        if (tmp is not null)
        {
            parameters.Add($"{PrivateTmpParameter}={tmp}");
            text.Append($"(allow file-write* (subpath (param \"{PrivateTmpParameter}\")))\n");
        }
        if (writableRoots.Length > 0)
        {
            text.Append("(allow file-write*");
            for (var i = 0; i < writableRoots.Length; i++)
            {
                parameters.Add($"{WritableRootPrefix}{i}={writableRoots[i]}");
                text.Append($"\n  (subpath (param \"{WritableRootPrefix}{i}\"))");
            }
            text.Append(")\n");
        }

        if (writableRoots.Length > 0 && protectedPaths.Length > 0)
        {
            text.Append("\n; protected paths: read-only whether or not they exist yet\n");
            for (var i = 0; i < protectedPaths.Length; i++)
            {
                parameters.Add($"{ProtectedPrefix}{i}={protectedPaths[i]}");
                text.Append($"(deny file-write* (literal (param \"{ProtectedPrefix}{i}\")) (subpath (param \"{ProtectedPrefix}{i}\")))\n");
            }
        }

        if (pinned.Length > 0)
        {
            text.Append("\n; ancestors of protected and hidden paths inside writable roots: no rename or delete, so they cannot be moved away\n");
            for (var i = 0; i < pinned.Length; i++)
            {
                parameters.Add($"{PinnedPrefix}{i}={pinned[i]}");
                text.Append($"(deny file-write-unlink (literal (param \"{PinnedPrefix}{i}\")))\n");
            }
        }

        if (hiddenPaths.Length > 0)
        {
            text.Append("\n; hidden paths: neither readable nor writable\n");
            for (var i = 0; i < hiddenPaths.Length; i++)
            {
                parameters.Add($"{HiddenPrefix}{i}={hiddenPaths[i]}");
                text.Append($"(deny file-read* file-write* (literal (param \"{HiddenPrefix}{i}\")) (subpath (param \"{HiddenPrefix}{i}\")))\n");
            }
        }

        if (profile.Network == NetworkAccess.On)
            AppendNetworkRules(text);
        else
            text.Append("\n; network: denied (no rule allows it)\n");

        return new SeatbeltPolicy(text.ToString(), parameters.ToImmutable());
    }

    private static void AppendFixedRules(StringBuilder text)
    {
        text.Append("""

            ; processes: children inherit this profile
            (allow process-exec)
            (allow process-fork)
            (allow signal (target same-sandbox))
            (allow process-info* (target same-sandbox))

            ; system information commonly read by runtimes (no kern.procargs: other processes' arguments stay private)
            (allow sysctl-read
              (sysctl-name-prefix "hw.")
              (sysctl-name-prefix "machdep.cpu.")
              (sysctl-name "kern.argmax")
              (sysctl-name "kern.hostname")
              (sysctl-name "kern.maxfiles")
              (sysctl-name "kern.maxfilesperproc")
              (sysctl-name "kern.maxproc")
              (sysctl-name "kern.osproductversion")
              (sysctl-name "kern.osrelease")
              (sysctl-name "kern.ostype")
              (sysctl-name "kern.osversion")
              (sysctl-name "kern.usrstack64")
              (sysctl-name "kern.version")
              (sysctl-name "sysctl.proc_cputype")
              (sysctl-name "vm.loadavg")
              (sysctl-name-prefix "kern.proc.pid."))
            (allow mach-host*)
            (allow user-preference-read)
            (allow ipc-posix-sem)

            ; mach services: user and group lookup, notifications, preferences, logging
            (allow mach-lookup
              (global-name "com.apple.system.opendirectoryd.libinfo")
              (global-name "com.apple.system.notification_center")
              (global-name "com.apple.cfprefsd.agent")
              (global-name "com.apple.cfprefsd.daemon")
              (global-name "com.apple.logd")
              (global-name "com.apple.PowerManagement.control"))

            ; terminals: openpty and the command's own tty
            (allow pseudo-tty)
            (allow file-read* file-write* file-ioctl (literal "/dev/ptmx"))
            (allow file-write-data file-ioctl (regex #"^/dev/ttys[0-9]+$"))

            """.Replace("\r\n", "\n"));
    }

    private static void AppendNetworkRules(StringBuilder text)
    {
        text.Append("""

            ; network: outbound anywhere; listening only on localhost
            (allow network-outbound)
            (allow network-bind (local ip "localhost:*"))
            (allow network-inbound (local ip "localhost:*"))
            (allow system-socket)
            (allow mach-lookup
              (global-name "com.apple.dnssd.service")
              (global-name "com.apple.SystemConfiguration.DNSConfiguration")
              (global-name "com.apple.SystemConfiguration.configd")
              (global-name "com.apple.networkd")
              (global-name "com.apple.trustd.agent")
              (global-name "com.apple.ocspd")
              (global-name "com.apple.SecurityServer"))

            """.Replace("\r\n", "\n"));
    }

    private static ImmutableArray<string> Distinct(ImmutableArray<string> paths, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var path in paths.IsDefault ? [] : paths)
        {
            var canonical = MacPath.Canonicalise(path, what);
            if (seen.Add(canonical))
                result.Add(canonical);
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// The directories from each protected or hidden path's parent up to the writable root holding it. Renaming one of
    /// them would carry the protected path to a new, unprotected name.
    /// </summary>
    private static ImmutableArray<string> PinnedAncestors(IEnumerable<string> paths, ImmutableArray<string> writableRoots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var path in paths)
        {
            foreach (var root in writableRoots.Where(r => path != r && MacPath.IsWithin(path, r)))
            {
                for (var dir = MacPath.Parent(path); dir is not null && MacPath.IsWithin(dir, root); dir = MacPath.Parent(dir))
                {
                    if (seen.Add(dir))
                        result.Add(dir);
                    if (dir == root)
                        break;
                }
            }
        }
        return result.ToImmutable();
    }

    private static string ModeName(SandboxMode mode) => mode switch
    {
        SandboxMode.ReadOnly => "read-only",
        SandboxMode.WorkspaceWrite => "workspace-write",
        _ => "danger-full-access",
    };

    private static string NetworkName(NetworkAccess network) => network switch
    {
        NetworkAccess.On => "on",
        NetworkAccess.Ask => "ask (denied in the sandbox; approval happens before)",
        _ => "off",
    };
}
