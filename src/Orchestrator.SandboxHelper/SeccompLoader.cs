using Orchestrator.Sandbox.Linux.Seccomp;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Installs our seccomp filter on the calling thread (no-new-privs must already be set).</summary>
internal static unsafe class SeccompLoader
{
    private const int PrGetSeccomp = 21;
    private const int PrSetSeccomp = 22;
    private const nuint SeccompModeFilter = 2;

    public static bool KernelSupportsSeccomp() => !TestOverrides.NoSeccomp && Libc.Prctl(PrGetSeccomp, 0, 0, 0, 0) >= 0;

    public static void Apply(HelperOptions options)
    {
        if (!KernelSupportsSeccomp())
        {
            if (options.RequireSeccomp)
            {
                throw new HelperException("seccomp is required but the kernel does not support it; refusing to run unconfined");
            }

            return;
        }

        var program = SeccompFilter.Build(new SeccompOptions(options.NetworkAllowed));
        var bytes = program.ToBytes();
        fixed (byte* filter = bytes)
        {
            var fprog = new SockFprog { Length = checked((ushort)program.Length), Filter = filter };
            if (Libc.Prctl(PrSetSeccomp, SeccompModeFilter, (nuint)(&fprog), 0, 0) != 0)
            {
                throw new HelperException($"cannot load the seccomp filter: {Libc.Describe(Libc.LastError)}");
            }
        }
    }
}
