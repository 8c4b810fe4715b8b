namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// The pipe through which the helper reports that it is about to exec the command (<c>--status-fd</c>): one byte right
/// before execve. Read once the process has ended: no byte means the sandbox failed before the command started, and
/// what the process printed is the sandbox's complaint, not the command's output. Both ends are close-on-exec; the
/// write end is made inheritable only for the instant of the launch (<see cref="Process.LaunchPlan.InheritedDescriptors"/>).
/// </summary>
internal sealed unsafe class StatusPipe : IDisposable
{
    private readonly int _read;

    private StatusPipe(int read, int write)
    {
        _read = read;
        WriteDescriptor = write;
    }

    public int WriteDescriptor { get; }

    public static StatusPipe Create()
    {
        var fds = stackalloc int[2];
        if (LinuxNative.Pipe2(fds, LinuxNative.OCloexec | LinuxNative.ONonBlock) != 0)
            throw new SandboxUnavailableException($"cannot create the sandbox's status pipe: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(LinuxNative.LastError)}");
        return new StatusPipe(fds[0], fds[1]);
    }

    /// <summary>Whether the helper said it was starting the command (call once the process has ended).</summary>
    public bool CommandStarted()
    {
        byte b;
        return LinuxNative.Read(_read, &b, 1) == 1;
    }

    public void Dispose()
    {
        LinuxNative.Close(_read);
        LinuxNative.Close(WriteDescriptor);
    }
}
