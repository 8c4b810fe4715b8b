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

    private static bool IsSet(string name) => Environment.GetEnvironmentVariable(name) == "1";
}
