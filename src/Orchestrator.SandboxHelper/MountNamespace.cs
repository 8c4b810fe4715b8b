using System.Globalization;
using System.Text;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// <c>--mount-ns</c>: a mount namespace of the helper's own, so protected and hidden paths can be covered by mounts that
/// no other process sees and that vanish with the command — nothing is created or left on the host. With
/// CAP_SYS_ADMIN in the current user namespace (root, or inside bubblewrap, which hands the helper that capability)
/// the calling thread simply unshares one. Without it a user namespace is needed too, and unshare(CLONE_NEWUSER)
/// refuses a threaded process — the .NET runtime always has a finalizer thread — so the helper forks: the child (one
/// thread) unshares both and carries on, the parent waits and exits with the child's status.
/// </summary>
internal static class MountNamespace
{
    private const int CloneNewNs = 0x00020000;
    private const int CloneNewUser = 0x10000000;
    private const ulong MsRec = 0x4000;
    private const ulong MsPrivate = 1 << 18;
    private const int PrSetPdeathsig = 1;
    private const int SigKill = 9;

    /// <returns>Null in the process that goes on to exec the program; the exit code to return in a waiting parent.</returns>
    public static int? Enter(HelperOptions options)
    {
        if (!TestOverrides.NoMountNamespace && Libc.Unshare(CloneNewNs) == 0)
        {
            MakePrivate();
            return null;
        }

        var error = TestOverrides.NoMountNamespace ? Libc.EPERM : Libc.LastError;
        if (error != Libc.EPERM)
        {
            throw new HelperException($"cannot create a mount namespace: {Libc.Describe(error)}");
        }

        if (TestOverrides.NoUserNamespaces)
        {
            throw new HelperException("cannot create a user namespace (user namespaces are disabled); refusing to run without the mount namespace");
        }

        var uid = Libc.Getuid();
        var gid = Libc.Getgid();
        var parent = Libc.Getpid();
        var child = Libc.Fork();
        if (child < 0)
        {
            throw new HelperException($"fork failed: {Libc.Describe(Libc.LastError)}");
        }

        if (child > 0)
        {
            if (options.StatusFd is { } status)
            {
                Libc.Close(status); // only the child reports that the program starts
            }

            return ChildExitCode(child);
        }

        // The command must not outlive a helper that was killed.
        if (Libc.Prctl(PrSetPdeathsig, SigKill, 0, 0, 0) != 0 || Libc.Getppid() != parent)
        {
            throw new HelperException("the helper's parent went away while the sandbox was starting");
        }

        if (Libc.Unshare(CloneNewUser | CloneNewNs) != 0)
        {
            throw new HelperException(
                $"cannot create a user and mount namespace: {Libc.Describe(Libc.LastError)} (unprivileged user namespaces may be disabled)");
        }

        var id = uid.ToString(CultureInfo.InvariantCulture);
        var group = gid.ToString(CultureInfo.InvariantCulture);
        WriteProcFile("/proc/self/setgroups", "deny");
        WriteProcFile("/proc/self/gid_map", $"{group} {group} 1");
        WriteProcFile("/proc/self/uid_map", $"{id} {id} 1");
        MakePrivate();
        return null;
    }

    /// <summary>Nothing mounted here may reach the host's namespace (a shared / would propagate our mounts back).</summary>
    private static void MakePrivate()
    {
        if (Libc.Mount(null, "/", null, MsRec | MsPrivate, null) != 0)
        {
            throw new HelperException($"cannot make the mount namespace private: {Libc.Describe(Libc.LastError)}");
        }
    }

    private static unsafe int ChildExitCode(int child)
    {
        int status;
        while (Libc.Waitpid(child, &status, 0) < 0)
        {
            if (Libc.LastError != Libc.EINTR)
            {
                throw new HelperException($"waitpid failed: {Libc.Describe(Libc.LastError)}");
            }
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private static unsafe void WriteProcFile(string path, string text)
    {
        var fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new HelperException($"cannot open {path}: {Libc.Describe(Libc.LastError)}");
        }

        try
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            fixed (byte* start = bytes)
            {
                if (Libc.Write(fd, start, bytes.Length) != bytes.Length)
                {
                    throw new HelperException($"cannot write {path}: {Libc.Describe(Libc.LastError)}");
                }
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
