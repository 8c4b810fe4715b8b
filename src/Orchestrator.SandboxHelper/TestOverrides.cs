namespace Orchestrator.SandboxHelper;

/// <summary>
/// Environment switches that make the helper behave as if a kernel feature were missing.
/// They exist only so tests can exercise the refusal path of <c>--require</c>; they never weaken confinement
/// silently, because without <c>--require</c> a missing layer is skipped just as on a real old kernel.
/// </summary>
internal static class TestOverrides
{
    public static bool NoLandlock => IsSet("ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK");

    public static bool NoSeccomp => IsSet("ORCHESTRATOR_SANDBOX_FAKE_NO_SECCOMP");

    /// <summary>As if the helper lacked CAP_SYS_ADMIN: a mount namespace then needs a user namespace.</summary>
    public static bool NoMountNamespace => IsSet("ORCHESTRATOR_SANDBOX_FAKE_NO_MOUNT_NS");

    /// <summary>As if unprivileged user namespaces were disabled (sysctl, AppArmor).</summary>
    public static bool NoUserNamespaces => IsSet("ORCHESTRATOR_SANDBOX_FAKE_NO_USERNS");

    /// <summary>Fails the setup right before the program would start (to test how a sandbox failure is reported).</summary>
    public static bool FailBeforeExec => IsSet("ORCHESTRATOR_SANDBOX_FAKE_FAILURE");

    private static bool IsSet(string name) => Environment.GetEnvironmentVariable(name) == "1";
}
