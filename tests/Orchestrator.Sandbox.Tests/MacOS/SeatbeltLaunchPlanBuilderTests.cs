using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.MacOS;

namespace Orchestrator.Sandbox.Tests.MacOS;

public sealed class SeatbeltLaunchPlanBuilderTests
{
    private static readonly CommandRequest Echo = new("/bin/echo", ["-n", "hi there"], "/w");

    [Fact]
    public void Sandboxed_argv_is_sandbox_exec_profile_parameters_separator_then_the_command()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, WritableRoots = ["/w"] };

        var plan = SeatbeltLaunchPlanBuilder.Build(profile, Echo, "/private/tmp/t");

        Assert.True(plan.Sandboxed);
        Assert.Equal("/usr/bin/sandbox-exec", plan.FileName);
        Assert.Equal(
            ["-p", plan.Policy!.ProfileText, "-D", "PRIVATE_TMP=/private/tmp/t", "-D", "WRITABLE_ROOT_0=/w", "--", "/bin/echo", "-n", "hi there"],
            plan.Arguments.ToArray());
        Assert.Equal("/usr/bin/sandbox-exec", plan.Argv[0]);
    }

    [Fact]
    public void Danger_full_access_runs_the_command_directly()
    {
        var plan = SeatbeltLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.DangerFullAccess }, Echo);

        Assert.False(plan.Sandboxed);
        Assert.Null(plan.Policy);
        Assert.Equal(["/bin/echo", "-n", "hi there"], plan.Argv.ToArray());
    }

    [Fact]
    public void Argument_with_a_NUL_is_rejected()
    {
        var request = Echo with { Arguments = ["a\0b"] };

        Assert.Throws<ArgumentException>(() => SeatbeltLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly }, request));
    }

    [Fact]
    public void A_program_that_looks_like_an_option_stays_after_the_separator()
    {
        var request = new CommandRequest("-p", ["(allow default)"], "/w");

        var plan = SeatbeltLaunchPlanBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly }, request);

        var separator = plan.Arguments.IndexOf("--");
        Assert.Equal(["-p", "(allow default)"], plan.Arguments[(separator + 1)..].ToArray());
    }
}
