namespace Orchestrator.Sandbox.Process;

/// <summary>POSIX signal numbers used by the runner (identical on Linux and macOS) and the 128+n exit-code convention.</summary>
public static class Signals
{
    public const int Terminate = 15;
    public const int Kill = 9;

    /// <summary>
    /// The signal behind a .NET exit code. On Unix, .NET reports a child killed by signal n as exit code 128+n, the
    /// same convention as the shell's <c>$?</c>, so a program that itself calls <c>exit(137)</c> is indistinguishable
    /// from one killed by SIGKILL. We accept that ambiguity rather than race .NET's own SIGCHLD reaper with waitid.
    /// </summary>
    public static int? FromExitCode(int exitCode) => exitCode is > 128 and <= 128 + 64 ? exitCode - 128 : null;
}
