using System.Collections.Immutable;
using Orchestrator.Actors.Execution;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;
using static Orchestrator.Actors.Tests.Execution.ExecutionSpecPolicy;

namespace Orchestrator.Actors.Tests.Execution;

public sealed class ExecutionPlannerSpecs
{
    private readonly ScriptedSandbox _sandbox = new("linux-bwrap");

    private ExecutionPlanOutcome PlanFor(ToolCall call, SandboxMode mode = SandboxMode.WorkspaceWrite, NetworkAccess network = NetworkAccess.Off) =>
        ExecutionPlanner.Plan(call, mode, network, Snapshot(), _sandbox);

    private static string RefusalOf(ExecutionPlanOutcome outcome) =>
        Assert.IsType<ExecutionPlanOutcome.Refused>(outcome).Reason;

    [Fact]
    public void Bash_runs_the_command_with_a_shell_in_the_calls_directory_with_claude_codes_timeout_keeping_32_KiB_at_each_end_of_each_stream()
    {
        var plan = PlanOf(PlanFor(Bash("ls -la")));

        Assert.Contains(plan.Request.Program, new[] { "/bin/bash", "/bin/sh" });
        Assert.Equal(["-c", "ls -la"], plan.Request.Arguments.ToArray());
        Assert.Equal(Project, plan.Request.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(120), plan.Request.Timeout);
        Assert.Equal((32 * 1024, 32 * 1024), (plan.Request.Output.HeadBytes, plan.Request.Output.TailBytes));
        Assert.Equal(WorkerKind.Linux, plan.Worker);
        Assert.Equal("linux-bwrap", plan.SandboxKind);
        Assert.Equal(SandboxMode.WorkspaceWrite, plan.Profile.Mode);
        Assert.Contains(Project, plan.Profile.WritableRoots);
        Assert.Matches("^[0-9a-f]{64}$", plan.ProfileDigest);
    }

    [Fact]
    public void Danger_full_access_is_planned_onto_the_unconfined_worker()
    {
        var plan = PlanOf(PlanFor(Bash("ls"), SandboxMode.DangerFullAccess));

        Assert.Equal(WorkerKind.None, plan.Worker);
        Assert.Equal(SandboxMode.DangerFullAccess, plan.Profile.Mode);
    }

    [Fact]
    public void Network_ask_is_planned_with_the_network_off()
    {
        Assert.Equal(NetworkAccess.Off, PlanOf(PlanFor(Bash("ls"), network: NetworkAccess.Ask)).Profile.Network);
        Assert.Equal(NetworkAccess.On, PlanOf(PlanFor(Bash("ls"), network: NetworkAccess.On)).Profile.Network);
    }

    [Theory]
    [InlineData("5000", 5_000)]
    [InlineData("1", 1)]
    [InlineData("600000", 600_000)]
    [InlineData(" 2500 ", 2_500)]
    public void Timeout_input_is_milliseconds(string timeout, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), PlanOf(PlanFor(Bash("ls", timeout))).Request.Timeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("600001")]
    [InlineData("1.5")]
    [InlineData("10s")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void Bad_timeout_is_refused(string timeout)
    {
        Assert.Contains("timeout", RefusalOf(PlanFor(Bash("ls", timeout))));
    }

    [Theory]
    [InlineData(ToolNames.NotebookEdit)]
    [InlineData(ToolNames.WebSearch)]
    [InlineData("mcp__github__create_issue")]
    public void Tools_without_an_executor_are_refused_honestly(string tool)
    {
        var call = Call(tool, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.FilePath, Path.Combine(Project, "a.txt")));

        Assert.Equal($"tool {tool} has no executor yet; submit it with intent decide-only", RefusalOf(PlanFor(call)));
    }

    [Fact]
    public void Bash_without_a_command_or_with_a_relative_directory_is_refused()
    {
        Assert.Contains("no command", RefusalOf(PlanFor(Bash("  "))));
        Assert.Contains("not an absolute path", RefusalOf(PlanFor(Bash("ls", cwd: "relative/dir"))));
    }

    [Fact]
    public void A_sandbox_that_cannot_run_the_profile_refuses_the_call()
    {
        var sandbox = new ScriptedSandbox("linux-builtin")
        {
            PlanAnswer = new SandboxPlan(false, SandboxLayers.None("Landlock missing"), "mode WorkspaceWrite needs Landlock; refusing to run unconfined"),
        };

        var reason = RefusalOf(ExecutionPlanner.Plan(Bash("ls"), SandboxMode.WorkspaceWrite, NetworkAccess.Off, Snapshot(), sandbox));

        Assert.Equal("cannot sandbox: mode WorkspaceWrite needs Landlock; refusing to run unconfined", reason);
    }

    [Fact]
    public void A_sandbox_of_unknown_kind_is_refused()
    {
        Assert.Contains("no execution worker for sandbox kind 'freebsd'",
            RefusalOf(ExecutionPlanner.Plan(Bash("ls"), SandboxMode.ReadOnly, NetworkAccess.Off, Snapshot(), new ScriptedSandbox("freebsd"))));
    }

    [Fact]
    public void Digest_is_equal_for_equal_input()
    {
        var first = PlanOf(PlanFor(Bash("make test", "9000")));
        var second = PlanOf(PlanFor(Bash("make test", "9000")));

        Assert.Equal(first.ProfileDigest, second.ProfileDigest);
    }

    [Fact]
    public void Digest_differs_when_command_mode_network_timeout_or_directory_differs()
    {
        var baseline = PlanOf(PlanFor(Bash("make test"))).ProfileDigest;
        var other = Directory.CreateDirectory(Path.Combine(Project, "sub")).FullName;

        string[] variants =
        [
            PlanOf(PlanFor(Bash("make test2"))).ProfileDigest,
            PlanOf(PlanFor(Bash("make test"), SandboxMode.ReadOnly)).ProfileDigest,
            PlanOf(PlanFor(Bash("make test"), network: NetworkAccess.On)).ProfileDigest,
            PlanOf(PlanFor(Bash("make test", "1000"))).ProfileDigest,
            PlanOf(PlanFor(Bash("make test", cwd: other))).ProfileDigest,
        ];

        Assert.All(variants, digest => Assert.NotEqual(baseline, digest));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void Canonical_text_cannot_be_forged_by_moving_text_between_arguments()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.ReadOnly };
        var split = new CommandRequest("/bin/sh", ["-c", "a\narg 1:b"], "/w");
        var joined = new CommandRequest("/bin/sh", ["-c", "a", "b"], "/w");

        Assert.NotEqual(ProfileDigest.Compute(split, profile), ProfileDigest.Compute(joined, profile));
    }
}
