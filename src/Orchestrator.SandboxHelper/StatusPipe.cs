using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// <c>--status-fd N</c>: the write end of a pipe whose reader learns whether the sandbox got as far as starting the
/// program. The helper keeps N open while closing every other descriptor, marks it close-on-exec (the program never
/// sees it), and writes one byte right before execve. A reader that finds no byte after the process ended knows that
/// the sandbox failed (and that what it printed is the sandbox's complaint, not the program's output).
/// </summary>
internal static unsafe class StatusPipe
{
    public static void Prepare(int? fd)
    {
        if (fd is { } number && Libc.Fcntl(number, Libc.F_SETFD, Libc.FD_CLOEXEC) != 0)
        {
            throw new HelperException($"--status-fd {number} is not an open descriptor: {Libc.Describe(Libc.LastError)}");
        }
    }

    public static void ReportStarting(int? fd)
    {
        if (fd is not { } number)
        {
            return;
        }

        byte started = (byte)'S';
        if (Libc.Write(number, &started, 1) != 1)
        {
            throw new HelperException($"cannot report to --status-fd {number}: {Libc.Describe(Libc.LastError)}");
        }
    }
}
