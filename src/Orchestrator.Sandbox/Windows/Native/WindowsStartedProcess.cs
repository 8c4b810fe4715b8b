using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Sandbox.Windows.Native;

/// <summary>A process started by <see cref="WindowsProcessLauncher"/>, already running inside its job. Disposing closes the job, which kills whatever is left in it.</summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsStartedProcess(IntPtr process, IntPtr job, SafeFileHandle stdout, SafeFileHandle stderr) : IDisposable
{
    private bool _disposed;

    public IntPtr Process { get; } = process;
    public IntPtr Job { get; } = job;
    public SafeFileHandle Stdout { get; } = stdout;
    public SafeFileHandle Stderr { get; } = stderr;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        WindowsNative.CloseHandle(Job);
        WindowsNative.CloseHandle(Process);
        Stdout.Dispose();
        Stderr.Dispose();
    }
}
