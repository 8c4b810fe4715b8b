using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary>The three Landlock syscalls (numbers 444-446 on every architecture) called through libc's <c>syscall</c>.</summary>
public static unsafe partial class LandlockSyscalls
{
    private const long SysCreateRuleset = 444;
    private const long SysAddRule = 445;
    private const long SysRestrictSelf = 446;
    private const uint CreateRulesetVersion = 1;
    private const long RuleTypePathBeneath = 1;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Invoke(long number, long a1, long a2, long a3, long a4);

    /// <summary>The kernel's Landlock ABI version, or 0 when Landlock is not available (not built in, or disabled at boot).</summary>
    public static int QueryAbi()
    {
        var abi = Invoke(SysCreateRuleset, 0, 0, CreateRulesetVersion, 0);
        return abi < 0 ? 0 : (int)abi;
    }

    /// <returns>The ruleset fd, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int CreateRulesetFd(in LandlockRulesetAttr attr)
    {
        fixed (LandlockRulesetAttr* pointer = &attr)
        {
            return (int)Invoke(SysCreateRuleset, (long)pointer, sizeof(LandlockRulesetAttr), 0, 0);
        }
    }

    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int AddPathBeneathRule(int rulesetFd, in LandlockPathBeneathAttr attr)
    {
        fixed (LandlockPathBeneathAttr* pointer = &attr)
        {
            return (int)Invoke(SysAddRule, rulesetFd, RuleTypePathBeneath, (long)pointer, 0);
        }
    }

    /// <returns>0, or -1 with the error in <see cref="Marshal.GetLastPInvokeError"/>.</returns>
    public static int RestrictSelf(int rulesetFd) => (int)Invoke(SysRestrictSelf, rulesetFd, 0, 0, 0);
}
