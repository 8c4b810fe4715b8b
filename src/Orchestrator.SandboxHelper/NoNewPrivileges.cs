using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary><c>prctl(PR_SET_NO_NEW_PRIVS)</c>: exec can no longer grant privileges (setuid, file caps); Landlock and seccomp need it.</summary>
internal static class NoNewPrivileges
{
    private const int PrSetNoNewPrivs = 38;

    public static void Set()
    {
        if (Libc.Prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0)
        {
            throw new HelperException($"prctl(PR_SET_NO_NEW_PRIVS) failed: {Libc.Describe(Libc.LastError)}");
        }
    }
}
