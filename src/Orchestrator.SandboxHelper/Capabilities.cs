using System.Globalization;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// <c>--drop-caps</c>: empties the bounding, ambient, effective, permitted and inheritable capability sets, so a program
/// started as root keeps uid 0 but none of root's powers (mknod, raw I/O, DAC override, ...). The bounding set is what
/// matters across execve: root regains every capability in it.
/// </summary>
internal static unsafe class Capabilities
{
    private const int PrCapbsetDrop = 24;
    private const int PrCapAmbient = 47;
    private const nuint PrCapAmbientClearAll = 4;
    private const uint LinuxCapabilityVersion3 = 0x20080522;
    private const int DefaultLastCapability = 63;

    public static void DropAll()
    {
        var isRoot = Libc.Geteuid() == 0;
        for (var capability = 0; capability <= LastCapability(); capability++)
        {
            if (Libc.Prctl(PrCapbsetDrop, (nuint)capability, 0, 0, 0) != 0)
            {
                var error = Libc.LastError;
                // EINVAL: the kernel does not know this capability. EPERM without root: nothing to lose on exec anyway.
                if (error == Libc.EINVAL || (!isRoot && error == Libc.EPERM))
                {
                    continue;
                }

                throw new HelperException($"cannot drop capability {capability} from the bounding set: {Libc.Describe(error)}");
            }
        }

        Libc.Prctl(PrCapAmbient, PrCapAmbientClearAll, 0, 0, 0); // fails only on kernels without ambient capabilities

        var header = new CapabilityHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
        var data = stackalloc CapabilityData[2];
        data[0] = default;
        data[1] = default;
        if (Libc.Capset(&header, data) != 0)
        {
            throw new HelperException($"cannot clear capabilities: {Libc.Describe(Libc.LastError)}");
        }
    }

    private static int LastCapability()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return DefaultLastCapability;
        }
    }
}
