using Orchestrator.Sandbox.Linux.Landlock;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// Builds a Landlock ruleset for the best ABI the kernel offers and restricts the calling thread (which then execs).
/// Everything the ABI can handle is handled, so anything without a rule is denied.
/// </summary>
internal static class LandlockApplier
{
    public static int DetectAbi() => TestOverrides.NoLandlock ? 0 : LandlockSyscalls.QueryAbi();

    /// <returns>The ABI enforced, or 0 when Landlock is unavailable and not required.</returns>
    public static int Apply(HelperOptions options)
    {
        var abi = DetectAbi();
        if (abi == 0)
        {
            return Unavailable(options, "the kernel offers no Landlock ABI (not built in, or disabled at boot)");
        }

        var attr = new LandlockRulesetAttr
        {
            HandledAccessFs = (ulong)LandlockAbi.HandledFs(abi),
            HandledAccessNet = options.NetworkAllowed ? 0 : (ulong)LandlockAbi.HandledNet(abi),
            Scoped = options.Scope ? (ulong)LandlockAbi.Scopes(abi) : 0,
        };
        var ruleset = LandlockSyscalls.CreateRulesetFd(attr);
        if (ruleset < 0)
        {
            var error = Libc.LastError;
            if (error is Libc.ENOSYS or Libc.EOPNOTSUPP)
            {
                return Unavailable(options, Libc.Describe(error));
            }

            throw new HelperException($"landlock_create_ruleset failed: {Libc.Describe(error)}");
        }

        try
        {
            foreach (var rule in options.Rules)
            {
                AddRule(ruleset, rule, LandlockAbi.HandledFs(abi));
            }

            if (LandlockSyscalls.RestrictSelf(ruleset) != 0)
            {
                throw new HelperException($"landlock_restrict_self failed: {Libc.Describe(Libc.LastError)}");
            }
        }
        finally
        {
            Libc.Close(ruleset);
        }

        return abi;
    }

    private static int Unavailable(HelperOptions options, string reason)
    {
        if (options.RequireLandlock)
        {
            throw new HelperException($"Landlock is required but cannot be applied: {reason}; refusing to run unconfined");
        }

        return 0;
    }

    private static void AddRule(int ruleset, PathRule rule, LandlockFsAccess handled)
    {
        var isDirectory = true;
        var fd = Libc.Open(rule.Path, Libc.O_PATH | Libc.O_CLOEXEC | Libc.O_DIRECTORY, 0);
        if (fd < 0 && Libc.LastError == Libc.ENOTDIR)
        {
            isDirectory = false;
            fd = Libc.Open(rule.Path, Libc.O_PATH | Libc.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            var error = Libc.LastError;
            if (error is Libc.ENOENT or Libc.ENOTDIR)
            {
                return; // a missing path needs no rule: nothing beneath it can be reached
            }

            throw new HelperException($"cannot open {rule.Path} for a Landlock rule: {Libc.Describe(error)}");
        }

        try
        {
            var rights = RightsFor(rule.Kind) & handled;
            if (!isDirectory)
            {
                rights &= LandlockAbi.FileRights;
            }

            if (rights == LandlockFsAccess.None)
            {
                return;
            }

            var attr = new LandlockPathBeneathAttr { AllowedAccess = (ulong)rights, ParentFd = fd };
            if (LandlockSyscalls.AddPathBeneathRule(ruleset, attr) != 0)
            {
                throw new HelperException($"landlock_add_rule for {rule.Path} failed: {Libc.Describe(Libc.LastError)}");
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static LandlockFsAccess RightsFor(RuleKind kind) => kind switch
    {
        RuleKind.ReadOnly => LandlockAbi.ReadExecute,
        RuleKind.ReadWrite => LandlockAbi.ReadWrite,
        RuleKind.ReadOnlyFile => LandlockAbi.ReadFileOnly,
        RuleKind.ReadWriteFile => LandlockAbi.ReadWriteFile,
        RuleKind.ListOnly => LandlockFsAccess.ReadDir,
        _ => LandlockFsAccess.None,
    };
}
