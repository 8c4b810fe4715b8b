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

    public static IReadOnlyList<string> Prepare(HelperOptions options)
    {
        var fd = Libc.MemfdCreate("orchestrator-seccomp", 0); // no MFD_CLOEXEC: the program must inherit it
        if (fd < 0)
        {
            throw new HelperException($"cannot create a memfd for the seccomp filter: {Libc.Describe(Libc.LastError)}");
        }

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
