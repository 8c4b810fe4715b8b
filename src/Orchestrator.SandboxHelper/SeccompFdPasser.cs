using System.Globalization;
using Orchestrator.Sandbox.Linux.Seccomp;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// Outer mode for bubblewrap: writes the raw filter into an inheritable memfd and substitutes its number
/// for every <c>@SECCOMP_FD@</c> argument, so <c>bwrap --seccomp @SECCOMP_FD@</c> loads it inside the sandbox.
/// </summary>
internal static unsafe class SeccompFdPasser
{
    public const string Placeholder = "@SECCOMP_FD@";
    private const int SeekSet = 0;
    private const int FDupFd = 0;
    /// <summary>
    /// The filter's fd is moved up to at least this number. We closed the .NET runtime's own fds at start, but its
    /// signal thread still reads from the number it remembers (3, 4, …): a memfd reusing that number lost its first
    /// 32 bytes to that thread, and bwrap then loaded a filter missing its architecture check.
    /// </summary>
    private const int LowestFd = 64;

    public static IReadOnlyList<string> Prepare(HelperOptions options)
    {
        var created = Libc.MemfdCreate("orchestrator-seccomp", 0); // no MFD_CLOEXEC: the program must inherit it
        if (created < 0)
        {
            throw new HelperException($"cannot create a memfd for the seccomp filter: {Libc.Describe(Libc.LastError)}");
        }
        var fd = Libc.Fcntl(created, FDupFd, LowestFd); // F_DUPFD leaves the copy inheritable
        if (fd < 0)
        {
            throw new HelperException($"cannot move the seccomp memfd: {Libc.Describe(Libc.LastError)}");
        }
        Libc.Close(created);

        var bytes = SeccompFilter.Build(new SeccompOptions(options.NetworkAllowed)).ToBytes();
        fixed (byte* start = bytes)
        {
            if (Libc.Write(fd, start, bytes.Length) != bytes.Length)
            {
                throw new HelperException($"cannot write the seccomp filter: {Libc.Describe(Libc.LastError)}");
            }
        }

        if (Libc.Lseek(fd, 0, SeekSet) != 0)
        {
            throw new HelperException($"cannot rewind the seccomp memfd: {Libc.Describe(Libc.LastError)}");
        }

        var number = fd.ToString(CultureInfo.InvariantCulture);
        return options.Command.Select(arg => arg == Placeholder ? number : arg).ToArray();
    }
}
