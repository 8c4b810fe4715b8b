namespace Orchestrator.SandboxHelper;

/// <summary>Parses <c>[options] -- PROGRAM [ARGS...]</c> by hand; any mistake is a <see cref="HelperException"/> (exit 125).</summary>
internal static class ArgumentParser
{
    public const string Usage =
        "usage: orchestrator-sandbox [--ro PATH] [--rw PATH] [--ro-file PATH] [--rw-file PATH] [--landlock] [--net off|on] "
        + "[--scope] [--seccomp] [--cgroup DIR] [--rlimit NAME=N] [--setsid] [--drop-caps] [--chdir DIR] [--require landlock,seccomp] "
        + "[--pass-seccomp-fd] [--probe] -- PROGRAM [ARGS...]";

    public static HelperOptions Parse(IReadOnlyList<string> args)
    {
        var rules = new List<PathRule>();
        var cgroups = new List<string>();
        var limits = new List<ResourceLimit>();
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
                "--pass-seccomp-fd" => options with { PassSeccompFd = true },
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

        if (options.PassSeccompFd && (options.Landlock || options.Seccomp))
        {
            throw new HelperException("--pass-seccomp-fd applies no layer itself; it cannot be combined with --landlock or --seccomp");
        }
    }
}
