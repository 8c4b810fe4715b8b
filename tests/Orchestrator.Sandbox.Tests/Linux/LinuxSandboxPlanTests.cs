namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>What `orchestrator run` says about its layers, and that it refuses rather than run unconfined.</summary>
public sealed class LinuxSandboxPlanTests
{
    [Theory]
    [InlineData(SandboxVariant.BuiltInAsRoot)]
    [InlineData(SandboxVariant.BubblewrapAsRoot)]
    public void A_kernel_without_landlock_makes_a_sandboxed_mode_refuse_with_125(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var marker = Path.Combine(s.Workspace, "ran.txt");
        var r = s.Run(["--", "/usr/bin/touch", marker], environment: new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK"] = "1" });
        Assert.True(r.ExitCode == 125, r.ToString());
        Assert.Contains("Landlock", r.Stderr);
        Assert.Contains("refusing to run unconfined", r.Stderr);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Danger_full_access_runs_without_confinement_even_when_layers_are_missing()
    {
        using var s = SandboxRunner.For(SandboxVariant.BuiltInAsRoot);
        var r = s.Run(["--mode", "danger-full-access", "--", "/bin/sh", "-c", $"echo ok > {s.Outside}/danger.txt"],
            environment: new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK"] = "1" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(Path.Combine(s.Outside, "danger.txt")));
    }

    [Theory]
    [InlineData(SandboxVariant.BuiltInAsRoot, "landlock abi", "mount namespace (existing protected paths read-only at any depth")]
    [InlineData(SandboxVariant.BubblewrapAsRoot, "bubblewrap", "landlock tcp deny")]
    [InlineData(SandboxVariant.BuiltInWithoutNamespacesAsRoot, "landlock abi", "no mount namespace (unprivileged user namespaces are disabled)")]
    public void Explain_lists_the_active_layers(SandboxVariant variant, string expected, string alsoExpected)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Run(["--explain", "--", "/bin/true"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("sandbox:", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Contains(alsoExpected, r.Stderr);
        Assert.Contains("seccomp", r.Stderr);
    }

    [Fact]
    public void Bubblewrap_that_cannot_create_namespaces_gives_way_to_the_landlock_fallback_and_says_so()
    {
        using var s = SandboxRunner.For(SandboxVariant.BubblewrapAsRoot);
        s.Write(".git/config", "[core]\n");
        var noNamespaces = new Dictionary<string, string>
        {
            ["ORCHESTRATOR_SANDBOX_FAKE_NO_MOUNT_NS"] = "1",
            ["ORCHESTRATOR_SANDBOX_FAKE_NO_USERNS"] = "1",
        };

        var r = s.Run(["--explain", "--", "/bin/sh", "-c", "echo x >> .git/config; echo ran"], environment: noNamespaces);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("linux-builtin", r.Stderr);
        Assert.Contains("bubblewrap is installed but cannot create namespaces here either", r.Stderr);
        Assert.Equal("[core]\n", File.ReadAllText(Path.Combine(s.Workspace, ".git/config")));
    }
}
