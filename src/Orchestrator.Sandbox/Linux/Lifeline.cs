namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// One pipe per Orchestrator process: the write end stays here (close-on-exec, never handed on), the read end goes to
/// each helper inside bubblewrap (<c>--lifeline-fd</c>). When this process dies the pipe hangs up, and a helper that
/// has not started its command yet refuses to — bubblewrap sets its parent-death signal only some time after it
/// started and never checks that its parent is still there, so a crash in that instant would otherwise leave a
/// sandbox running that nobody watches.
/// </summary>
internal static unsafe class Lifeline
{
    private static readonly Lazy<int> Reader = new(() =>
    {
        var fds = stackalloc int[2];
        if (LinuxNative.Pipe2(fds, LinuxNative.OCloexec) != 0)
            throw new SandboxUnavailableException($"cannot create the lifeline pipe: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(LinuxNative.LastError)}");
        return fds[0]; // fds[1], the write end, stays open for as long as this process lives
    });

    /// <summary>The read end, for <see cref="Process.LaunchPlan.InheritedDescriptors"/>.</summary>
    public static int ReadDescriptor => Reader.Value;
}
