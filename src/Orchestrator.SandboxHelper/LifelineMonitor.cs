using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// With <c>--lifeline-fd</c> (inside bubblewrap) the helper does not exec the command itself: it forks, the child execs,
/// and the helper stays as the command's parent watching two things at once — the child ending (its exit status is
/// passed on) and Orchestrator's lifeline hanging up (Orchestrator died): then it kills everything it can reach in the
/// sandbox's pid namespace. Bubblewrap's own --die-with-parent is armed only some time after it started and never
/// checks that its parent is still there, so a crash in that instant would otherwise leave the command running.
/// </summary>
internal static unsafe class LifelineMonitor
{
    private const long SysPidfdOpen = 434; // the same number on every architecture
    private const int PollIn = 0x1;
    private const int PollError = 0x8;
    private const int PollHangUp = 0x10;
    private const int SigKill = 9;
    private const int WNoHang = 1;

    /// <returns>Null in the child, which goes on to exec; the exit code in the monitoring parent.</returns>
    public static int? Fork(HelperOptions options)
    {
        if (options.LifelineFd is not { } lifeline)
        {
            return null;
        }

        var child = Libc.Fork();
        if (child < 0)
        {
            throw new HelperException($"fork failed: {Libc.Describe(Libc.LastError)}");
        }

        if (child == 0)
        {
            return null;
        }

        if (options.StatusFd is { } status)
        {
            Libc.Close(status); // the child reports that the command starts
        }

        var pidfd = (int)Libc.Syscall(SysPidfdOpen, child, 0, 0);
        var fds = stackalloc int[4];
        fds[0] = pidfd;
        fds[1] = PollIn;
        fds[2] = lifeline;
        fds[3] = PollIn;
        while (true)
        {
            if (Libc.Poll(fds, 2, pidfd < 0 ? 100 : -1) < 0 && Libc.LastError != Libc.EINTR)
            {
                throw new HelperException($"poll failed: {Libc.Describe(Libc.LastError)}");
            }

            if ((fds[3] >> 16 & (PollHangUp | PollError | PollIn)) != 0)
            {
                Libc.Kill(-1, SigKill); // everything in this pid namespace that we may signal: the command and its children
                return 128 + SigKill;
            }

            int state;
            if (Libc.Waitpid(child, &state, WNoHang) == child)
            {
                var signal = state & 0x7f;
                return signal == 0 ? (state >> 8) & 0xff : 128 + signal;
            }
        }
    }
}
