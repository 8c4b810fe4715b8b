using Orchestrator.Sandbox.Linux.Mounts;

namespace Orchestrator.SandboxHelper;

/// <summary>Parses <c>[options] -- PROGRAM [ARGS...]</c> by hand; any mistake is a <see cref="HelperException"/> (exit 125).</summary>
internal static class ArgumentParser
{
    public const string Usage =
        "usage: orchestrator-sandbox [--ro PATH] [--rw PATH] [--ro-file PATH] [--rw-file PATH] [--list DIR] [--landlock] [--net off|on] "
        + "[--scope] [--seccomp] [--cgroup DIR] [--rlimit NAME=N] [--setsid] [--drop-caps] [--chdir DIR] [--require landlock,seccomp] "
        + "[--status-fd N] [--lifeline-fd N] [--die-with-parent PID] [--mount-ns [--private-tmp] [--keep PATH] [--keep-ro PATH] [--protect PATH] [--hide PATH] [--expose PATH]] "
        + "[--probe] -- PROGRAM [ARGS...]";

    public static HelperOptions Parse(IReadOnlyList<string> args)
    {
        var rules = new List<PathRule>();
        var cgroups = new List<string>();
        var limits = new List<ResourceLimit>();
        var keep = new List<string>();
        var keepReadOnly = new List<string>();
        var mounts = new List<MountOp>();
        var options = new HelperOptions();
        var index = 0;

        string Value(string option) =>
            index + 1 < args.Count ? args[++index] : throw new HelperException($"{option} needs a value\n{Usage}");

        for (; index < args.Count; index++)
        {
            var arg = args[index];
            if (arg == "--")
            {
                index++;
                break;
            }

            options = arg switch
            {
                "--ro" => Add(options, rules, RuleKind.ReadOnly, Value(arg)),
                "--rw" => Add(options, rules, RuleKind.ReadWrite, Value(arg)),
                "--ro-file" => Add(options, rules, RuleKind.ReadOnlyFile, Value(arg)),
                "--rw-file" => Add(options, rules, RuleKind.ReadWriteFile, Value(arg)),
                "--list" => Add(options, rules, RuleKind.ListOnly, Value(arg)),
                "--landlock" => options with { Landlock = true },
                "--net" => options with { NetworkAllowed = ParseNetwork(Value(arg)) },
                "--scope" => options with { Scope = true },
                "--seccomp" => options with { Seccomp = true },
                "--cgroup" => AddCgroup(options, cgroups, Value(arg)),
                "--rlimit" => AddLimit(options, limits, Value(arg)),
                "--setsid" => options with { Setsid = true },
                "--drop-caps" => options with { DropCapabilities = true },
                "--chdir" => options with { WorkingDirectory = Value(arg) },
                "--require" => ParseRequire(options, Value(arg)),
                "--status-fd" => options with { StatusFd = ParseFd(Value(arg)) },
                "--lifeline-fd" => options with { LifelineFd = ParseFd(Value(arg)) },
                "--die-with-parent" => options with { DieWithParent = ParsePid(Value(arg)) },
                "--mount-ns" => options with { MountNamespace = true },
                "--private-tmp" => options with { PrivateTmp = true },
                "--keep" => AddPath(options, keep, arg, Value(arg)),
                "--keep-ro" => AddPath(options, keepReadOnly, arg, Value(arg)),
                "--protect" => AddMount(options, mounts, MountOpKind.Protect, Value(arg)),
                "--hide" => AddMount(options, mounts, MountOpKind.Hide, Value(arg)),
                "--expose" => AddMount(options, mounts, MountOpKind.Expose, Value(arg)),
                "--probe" => options with { Probe = true },
                _ => throw new HelperException($"unknown option '{arg}'\n{Usage}"),
            };
        }

        // A path rule only means something inside a Landlock domain, so it turns Landlock on.
        options = options with
        {
            Rules = rules,
            Landlock = options.Landlock || rules.Count > 0,
            Cgroups = cgroups,
            Limits = limits,
            Keep = keep,
            KeepReadOnly = keepReadOnly,
            MountOps = mounts,
            Command = args.Skip(index).ToArray(),
        };
        Validate(options);
        return options;
    }

    private static HelperOptions Add(HelperOptions options, List<PathRule> rules, RuleKind kind, string path)
    {
        rules.Add(new PathRule(kind, path));
        return options;
    }

    private static HelperOptions AddCgroup(HelperOptions options, List<string> cgroups, string directory)
    {
        cgroups.Add(directory);
        return options;
    }

    private static HelperOptions AddLimit(HelperOptions options, List<ResourceLimit> limits, string setting)
    {
        limits.Add(ResourceLimits.Parse(setting));
        return options;
    }

    private static HelperOptions AddPath(HelperOptions options, List<string> paths, string option, string path)
    {
        paths.Add(RequireAbsolute(option, path));
        return options;
    }

    private static HelperOptions AddMount(HelperOptions options, List<MountOp> mounts, MountOpKind kind, string path)
    {
        var op = new MountOp(kind, path);
        mounts.Add(op with { Path = RequireAbsolute(op.Option, path) });
        return options;
    }

    private static string RequireAbsolute(string option, string path) =>
        path.StartsWith('/') && !path.Contains('\0') ? path : throw new HelperException($"{option} needs an absolute path, not '{path}'");

    private static int ParsePid(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 1
            ? pid
            : throw new HelperException($"--die-with-parent takes the parent's process id, not '{value}'");

    private static int ParseFd(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fd) && fd > 2
            ? fd
            : throw new HelperException($"a descriptor number above 2 is expected, not '{value}'");

    private static bool ParseNetwork(string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new HelperException($"--net takes 'on' or 'off', not '{value}'"),
    };

    private static HelperOptions ParseRequire(HelperOptions options, string layers)
    {
        foreach (var layer in layers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options = layer switch
            {
                "landlock" => options with { RequireLandlock = true },
                "seccomp" => options with { RequireSeccomp = true },
                _ => throw new HelperException($"--require knows 'landlock' and 'seccomp', not '{layer}'"),
            };
        }

        return options;
    }

    private static void Validate(HelperOptions options)
    {
        if (options.Probe)
        {
            return;
        }

        if (options.Command.Count == 0)
        {
            throw new HelperException($"no program given after '--'\n{Usage}");
        }

        if (options.RequireLandlock && !options.Landlock)
        {
            throw new HelperException("--require landlock needs --landlock");
        }

        if (options.RequireSeccomp && !options.Seccomp)
        {
            throw new HelperException("--require seccomp needs --seccomp");
        }

        if (options.Scope && !options.Landlock)
        {
            throw new HelperException("--scope is a Landlock feature and needs --landlock");
        }

        if (!options.MountNamespace && (options.PrivateTmp || options.Keep.Count > 0 || options.KeepReadOnly.Count > 0 || options.MountOps.Count > 0))
        {
            throw new HelperException("--private-tmp, --keep, --keep-ro, --protect, --hide and --expose need --mount-ns");
        }
    }
}
