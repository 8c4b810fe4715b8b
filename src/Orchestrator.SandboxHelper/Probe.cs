using System.Globalization;
using System.Text;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Reports what this kernel offers, as one line of JSON.</summary>
internal static class Probe
{
    private static readonly string[] KnownV1Controllers =
    [
        "blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb", "memory", "misc", "net_cls", "net_prio",
        "perf_event", "pids", "rdma",
    ];

    private static readonly string[] UsefulV2Controllers = ["cpu", "memory", "pids"];

    public static string Run()
    {
        var mounts = ReadLines("/proc/self/mounts").Select(line => line.Split(' ')).Where(f => f.Length >= 4).ToArray();
        var json = new StringBuilder();
        json.Append("{\"landlockAbi\":").Append(LandlockApplier.DetectAbi().ToString(CultureInfo.InvariantCulture));
        json.Append(",\"seccomp\":").Append(Bool(SeccompLoader.KernelSupportsSeccomp()));
        json.Append(",\"userNamespaces\":").Append(Bool(UserNamespacesAvailable()));
        json.Append(",\"mountNamespace\":").Append(Bool(MountNamespaceAvailable()));
        json.Append(",\"mountApi\":").Append(Bool(MountApi.Available()));
        json.Append(",\"cgroupV1\":[").Append(string.Join(',', WritableV1Controllers(mounts).Select(c => $"\"{c}\""))).Append(']');
        json.Append(",\"cgroupV2\":").Append(Bool(UsableV2(mounts)));
        return json.Append("}\n").ToString();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Whether <c>--mount-ns</c> can work: CAP_SYS_ADMIN (root) unshares directly, anyone else needs a user namespace.</summary>
    private static bool MountNamespaceAvailable() =>
        (Libc.Geteuid() == 0 && !TestOverrides.NoMountNamespace) || UserNamespacesAvailable();

    private static bool UserNamespacesAvailable()
    {
        if (TestOverrides.NoUserNamespaces)
        {
            return false;
        }

        if (ReadNumber("/proc/sys/user/max_user_namespaces") is not > 0)
        {
            return false;
        }

        if (Libc.Geteuid() == 0)
        {
            return true;
        }

        return ReadNumber("/proc/sys/kernel/unprivileged_userns_clone") is null or not 0
            && ReadNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") is null or 0;
    }

    private static IEnumerable<string> WritableV1Controllers(string[][] mounts) =>
        mounts
            .Where(f => f[2] == "cgroup" && IsWritableMount(f))
            .SelectMany(f => f[3].Split(','))
            .Where(option => KnownV1Controllers.Contains(option))
            .Distinct()
            .Order(StringComparer.Ordinal);

    private static bool UsableV2(string[][] mounts) =>
        mounts
            .Where(f => f[2] == "cgroup2" && IsWritableMount(f))
            .Any(f => ReadLines(Path.Combine(f[1], "cgroup.controllers"))
                .SelectMany(line => line.Split(' '))
                .Any(controller => UsefulV2Controllers.Contains(controller)));

    private static bool IsWritableMount(string[] fields) =>
        fields[3].Split(',').Contains("rw") && Libc.Access(fields[1], Libc.W_OK) == 0;

    private static int? ReadNumber(string path) =>
        int.TryParse(ReadLines(path).FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
