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
    /// <summary>Makes the inherited descriptors close-on-exec (the program never sees them).</summary>
    public static void Prepare(params int?[] fds)
    {
        foreach (var fd in fds)
        {
            if (fd is { } number && Libc.Fcntl(number, Libc.F_SETFD, Libc.FD_CLOEXEC) != 0)
            {
                throw new HelperException($"descriptor {number} (--status-fd or --lifeline-fd) is not open: {Libc.Describe(Libc.LastError)}");
            }
        }
    }

    /// <summary>
    /// <c>--lifeline-fd N</c>: the read end of a pipe whose write end only Orchestrator holds. Once it hangs up,
    /// Orchestrator is gone (a crash), and a command it can no longer watch or record must not start — this closes
    /// the moment before bubblewrap has set its own parent-death signal, which bubblewrap does without checking that
    /// its parent is still there.
    /// </summary>
    public static void RequireLifeline(int? fd)
    {
        if (fd is not { } number)
        {
            return;
        }

        var poll = stackalloc int[2];
        poll[0] = number;
        poll[1] = PollIn; // events in the low half, revents in the high half
        if (Libc.Poll(poll, 1, 0) < 0 || (poll[1] >> 16 & (PollHangUp | PollError | PollInvalid)) != 0)
        {
            throw new HelperException("Orchestrator is gone (its lifeline hung up); not starting the command");
        }
    }

    private const int PollIn = 0x1;
    private const int PollError = 0x8;
    private const int PollHangUp = 0x10;
    private const int PollInvalid = 0x20;

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
