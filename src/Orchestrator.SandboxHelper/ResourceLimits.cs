using System.Globalization;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Parses and applies <c>--rlimit NAME=N</c> (N may be <c>unlimited</c>).</summary>
internal static unsafe class ResourceLimits
{
    private const ulong Infinity = ulong.MaxValue;

    private static readonly Dictionary<string, int> Resources = new(StringComparer.Ordinal)
    {
        ["cpu"] = 0,
        ["fsize"] = 1,
        ["core"] = 4,
        ["nproc"] = 6,
        ["nofile"] = 7,
        ["memlock"] = 8,
        ["as"] = 9,
    };

    public static ResourceLimit Parse(string setting)
    {
        var equals = setting.IndexOf('=');
        var name = equals < 0 ? setting : setting[..equals];
        if (equals < 0 || !Resources.TryGetValue(name, out var resource))
        {
            throw new HelperException(
                $"--rlimit takes NAME=N with NAME one of {string.Join(", ", Resources.Keys)}, not '{setting}'");
        }

        var text = setting[(equals + 1)..];
        if (text == "unlimited")
        {
            return new ResourceLimit(name, resource, Infinity);
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new HelperException($"--rlimit {name} needs a non-negative number or 'unlimited', not '{text}'");
        }

        return new ResourceLimit(name, resource, value);
    }

    public static void Apply(IReadOnlyList<ResourceLimit> limits)
    {
        foreach (var limit in limits)
        {
            var value = new Rlimit { Current = limit.Value, Maximum = limit.Value };
            if (Libc.Setrlimit(limit.Resource, &value) != 0)
            {
                throw new HelperException($"cannot set rlimit {limit.Name}={limit.Value}: {Libc.Describe(Libc.LastError)}");
            }
        }
    }
}
