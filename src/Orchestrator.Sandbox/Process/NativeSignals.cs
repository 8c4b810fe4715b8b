using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Process;

internal static partial class NativeSignals
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// SIGKILL to the process group led by <paramref name="pid"/>. Returns false when there is no such group (ESRCH),
    /// which is normal when the process was not a group leader or everything in it already died.
    /// </summary>
    public static bool KillGroup(int pid)
    {
        // pid 0 or 1 would address our own group or init's: never.
        if (pid <= 1 || OperatingSystem.IsWindows())
            return false;
        return Kill(-pid, Signals.Kill) == 0;
    }

    /// <summary>SIGKILL to one process by pid (for processes found in a cgroup, not children we hold a handle to).</summary>
    public static bool KillProcess(int pid) =>
        pid > 1 && !OperatingSystem.IsWindows() && Kill(pid, Signals.Kill) == 0;
}
