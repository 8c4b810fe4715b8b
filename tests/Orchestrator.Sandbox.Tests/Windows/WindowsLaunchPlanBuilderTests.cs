using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class WindowsLaunchPlanBuilderTests
{
    private static readonly WindowsSandboxOptions Options = new("S-1-5-21-1-2-3-1000", @"C:\Temp\sbx");
    private static readonly WindowsSandboxOptions ContainerOptions = Options with { AppContainerName = "Orchestrator.Test" };
    private static readonly CommandRequest Request = new(@"C:\Tools\tool.exe", ["x"], @"C:\w");

    [Theory]
    [InlineData(NetworkAccess.Off)]
    [InlineData(NetworkAccess.Ask)]
    public void Restricted_token_refuses_to_promise_network_off(NetworkAccess network)
    {
        var plan = WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, Network = network }, Request, Options);

        Assert.False(plan.CanLaunch);
        Assert.Contains(plan.Refusals, r => r.Contains("AppContainer"));
    }

    [Fact]
    public void AppContainer_without_network_has_no_capabilities_and_no_refusal()
    {
        var plan = WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.WorkspaceWrite }, Request, ContainerOptions);

        Assert.True(plan.CanLaunch);
        Assert.Equal(WindowsIsolation.AppContainer, plan.Isolation);
        Assert.Empty(plan.AppContainer!.CapabilitySids);
        Assert.Null(plan.Token);
    }

    [Fact]
    public void Restricted_token_refuses_hidden_paths()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, Network = NetworkAccess.On, HiddenPaths = [@"C:\Users\dev\.ssh"] };

        var plan = WindowsLaunchPlanBuilder.Build(profile, Request, Options);

        Assert.Contains(plan.Refusals, r => r.Contains("Hidden paths"));
    }

    [Fact]
    public void Read_only_uses_low_integrity_and_grants_only_the_private_temp()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.ReadOnly, Network = NetworkAccess.On, WritableRoots = [@"C:\w"] };

        var plan = WindowsLaunchPlanBuilder.Build(profile, Request, Options);

        Assert.Equal(WellKnownSids.LowIntegrity, plan.Token!.IntegrityLevelSid);
        var grant = Assert.Single(plan.Acl, e => e.Kind == AclEntryKind.Allow);
        Assert.Equal((@"C:\Temp\sbx", AclPurpose.PrivateTemp, true), (grant.Path, grant.Purpose, grant.LowIntegrityLabel));
    }

    [Fact]
    public void Workspace_write_grants_roots_and_denies_protected_paths_to_the_sandbox_sid()
    {
        var profile = new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            Network = NetworkAccess.On,
            WritableRoots = [@"c:/w/"],
            ProtectedPaths = [@"C:\w\.git"],
        };

        var plan = WindowsLaunchPlanBuilder.Build(profile, Request, Options);

        Assert.Contains(new AclEntry(@"C:\w", AclPurpose.WritableRoot, AclEntryKind.Allow, Options.SandboxSid, FileAccessRights.Modify, AclInheritance.ObjectsAndContainers), plan.Acl);
        Assert.Contains(new AclEntry(@"C:\w\.git", AclPurpose.ProtectedPath, AclEntryKind.Deny, Options.SandboxSid, FileAccessRights.AnyWrite, AclInheritance.ObjectsAndContainers), plan.Acl);
        Assert.Contains(new AclEntry(@"C:\w", AclPurpose.PinnedAncestor, AclEntryKind.Deny, Options.SandboxSid, FileAccessRights.Delete, AclInheritance.ThisObjectOnly), plan.Acl);
        Assert.True(plan.Token!.WriteRestricted);
        Assert.Contains(Options.SandboxSid, plan.Token.RestrictingSids);
    }

    [Fact]
    public void Modify_grant_leaves_out_delete_child_so_a_deny_on_a_child_holds()
    {
        Assert.False(FileAccessRights.Modify.HasFlag(FileAccessRights.DeleteChild));
        Assert.True(FileAccessRights.AnyWrite.HasFlag(FileAccessRights.Delete));
    }

    [Fact]
    public void Job_takes_its_limits_from_the_profile()
    {
        var profile = new SandboxProfile
        {
            Mode = SandboxMode.DangerFullAccess,
            Limits = new ResourceLimits(MaxProcesses: 7, MaxMemoryBytes: 123456789, CpuSeconds: 30),
        };

        var job = WindowsLaunchPlanBuilder.Build(profile, Request, Options).Job;

        Assert.Equal((true, true, false, 7, 123456789L, 30 * TimeSpan.TicksPerSecond), (job.KillOnJobClose, job.DieOnUnhandledException, job.AllowBreakaway, job.ActiveProcessLimit, job.JobMemoryLimitBytes, job.PerJobUserTimeLimitTicks));
    }

    [Fact]
    public void Danger_full_access_is_not_sandboxed_and_adds_no_acl()
    {
        var plan = WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.DangerFullAccess }, Request, Options);

        Assert.False(plan.Sandboxed);
        Assert.Equal(WindowsIsolation.None, plan.Isolation);
        Assert.Empty(plan.Acl);
        Assert.True(plan.CanLaunch);
    }

    [Theory]
    [InlineData(@"C:\Tools\build.bat")]
    [InlineData(@"C:\Tools\BUILD.CMD")]
    public void Batch_files_are_refused(string program)
    {
        var plan = WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.DangerFullAccess }, Request with { Program = program }, Options);

        Assert.Contains(plan.Refusals, r => r.Contains("cmd.exe"));
    }

    [Theory]
    [InlineData(@"relative\dir")]
    [InlineData(@"C:\w\..\x")]
    [InlineData("C:\\w\nx")]
    [InlineData(@"C:\w\a""b")]
    [InlineData("/unix/path")]
    public void Invalid_writable_root_is_rejected(string root)
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, Network = NetworkAccess.On, WritableRoots = [root] };

        Assert.Throws<ArgumentException>(() => WindowsLaunchPlanBuilder.Build(profile, Request, Options));
    }

    [Fact]
    public void Malformed_sandbox_sid_is_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly }, Request, Options with { SandboxSid = "Everyone" }));
    }

    [Fact]
    public void Private_temp_is_exported_as_TEMP_and_TMP()
    {
        var plan = WindowsLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly }, Request, Options);

        Assert.Contains(new EnvironmentVariable("TEMP", @"C:\Temp\sbx"), plan.Environment);
        Assert.Contains(new EnvironmentVariable("TMP", @"C:\Temp\sbx"), plan.Environment);
    }
}
