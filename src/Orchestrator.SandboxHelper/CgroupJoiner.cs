using System.Globalization;
using System.Text;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Moves this process into cgroup directories (one per cgroup v1 hierarchy, or one v2 group).</summary>
internal static unsafe class CgroupJoiner
{
    public static void Join(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0)
        {
            return;
        }

        var pid = Encoding.ASCII.GetBytes(Libc.Getpid().ToString(CultureInfo.InvariantCulture));
        foreach (var directory in directories)
        {
            JoinOne(directory, pid);
        }
    }

    private static void JoinOne(string directory, byte[] pid)
    {
        // cgroup.procs moves the whole process; v1 hierarchies also have it, and "tasks" is the fallback.
        var fd = Libc.Open(Path.Combine(directory, "cgroup.procs"), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0 && Libc.LastError == Libc.ENOENT)
        {
            fd = Libc.Open(Path.Combine(directory, "tasks"), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw new HelperException($"cannot join cgroup {directory}: {Libc.Describe(Libc.LastError)}");
        }

        try
        {
            fixed (byte* bytes = pid)
            {
                if (Libc.Write(fd, bytes, pid.Length) != pid.Length)
                {
                    throw new HelperException($"cannot join cgroup {directory}: {Libc.Describe(Libc.LastError)}");
                }
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
