using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

public sealed class ExecutionClearanceTests
{
    private static CallState Allowed() => Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

    private static CallState Approved() => Accepted(CallLifecycle.AnswerApproval(Awaiting(), Approve(), T0.AddSeconds(5))).State;

    private static VerdictSummary Now(Decision decision, SandboxMode sandbox = SandboxMode.WorkspaceWrite, NetworkAccess network = NetworkAccess.Off) =>
        Verdict(decision) with { Mode = Verdict(decision).Mode with { Sandbox = sandbox, Network = network } };

    [Fact]
    public void A_call_the_current_policy_denies_is_refused_even_when_an_operator_approved_it()
    {
        var clearance = ExecutionClearance.Clear(Approved(), Now(Decision.Deny));
        Assert.False(clearance.IsCleared);
        Assert.StartsWith("the current policy denies this call", clearance.Refusal);
    }

    [Fact]
    public void A_call_an_earlier_policy_allowed_that_the_current_one_asks_about_is_refused()
    {
        var clearance = ExecutionClearance.Clear(Allowed(), Now(Decision.Ask));
        Assert.False(clearance.IsCleared);
        Assert.Contains("asks for approval", clearance.Refusal);
    }

    [Fact]
    public void An_approved_call_the_current_policy_still_asks_about_runs_on_its_approval()
    {
        Assert.True(ExecutionClearance.Clear(Approved(), Now(Decision.Ask)).IsCleared);
    }

    [Fact]
    public void A_call_with_no_recorded_decision_is_never_run()
    {
        Assert.False(ExecutionClearance.Clear(Received(), Now(Decision.Allow)).IsCleared);
    }

    [Theory]
    [InlineData(SandboxMode.DangerFullAccess, SandboxMode.WorkspaceWrite, SandboxMode.WorkspaceWrite)]
    [InlineData(SandboxMode.WorkspaceWrite, SandboxMode.DangerFullAccess, SandboxMode.WorkspaceWrite)]
    [InlineData(SandboxMode.WorkspaceWrite, SandboxMode.ReadOnly, SandboxMode.ReadOnly)]
    [InlineData(SandboxMode.ReadOnly, SandboxMode.DangerFullAccess, SandboxMode.ReadOnly)]
    public void The_sandbox_is_the_stricter_of_the_recorded_and_the_current_mode(SandboxMode recorded, SandboxMode current, SandboxMode expected)
    {
        var mode = Verdict(Decision.Allow).Mode;
        Assert.Equal(expected, ExecutionClearance.Stricter(mode with { Sandbox = recorded }, mode with { Sandbox = current }).Sandbox);
    }

    [Theory]
    [InlineData(NetworkAccess.On, NetworkAccess.Off, NetworkAccess.Off)]
    [InlineData(NetworkAccess.Off, NetworkAccess.On, NetworkAccess.Off)]
    [InlineData(NetworkAccess.On, NetworkAccess.Ask, NetworkAccess.Ask)]
    [InlineData(NetworkAccess.Ask, NetworkAccess.On, NetworkAccess.Ask)]
    public void The_network_is_the_stricter_of_the_recorded_and_the_current_mode(NetworkAccess recorded, NetworkAccess current, NetworkAccess expected)
    {
        var mode = Verdict(Decision.Allow).Mode;
        Assert.Equal(expected, ExecutionClearance.Stricter(mode with { Network = recorded }, mode with { Network = current }).Network);
    }

    [Fact]
    public void A_recorded_mode_that_asks_for_no_sandbox_never_lowers_the_current_one()
    {
        var clearance = ExecutionClearance.Clear(Allowed(), Now(Decision.Allow, SandboxMode.ReadOnly));
        Assert.Equal(SandboxMode.ReadOnly, clearance.Mode!.Sandbox);
    }

    private static VerdictSummary NetworkAsk(ReasonClass reason = ReasonClass.Network) =>
        Verdict(Decision.Ask, reason) with { Mode = Verdict(Decision.Ask).Mode with { Network = NetworkAccess.Ask } };

    private static CallState AskedAndAnswered(VerdictSummary verdict, ApprovalAnswer? answer, string tool = ToolNames.Bash)
    {
        var received = Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("curl https://example.com") with { ToolName = tool }, CallIntent.Execute, null, T0)).State;
        var awaiting = Accepted(CallLifecycle.Decide(received, DecisionInput.Of(verdict, Spec()), T0)).State;
        return answer is null ? awaiting : Accepted(CallLifecycle.AnswerApproval(awaiting, answer, T0.AddSeconds(5))).State;
    }

    [Theory]
    [InlineData(GrantScope.Once)]
    [InlineData(GrantScope.Session)]
    public void Under_network_ask_an_approved_bash_command_asked_about_for_its_network_runs_with_the_network_on(GrantScope scope)
    {
        var clearance = ExecutionClearance.Clear(AskedAndAnswered(NetworkAsk(), Approve(scope: scope)), NetworkAsk());

        Assert.Equal(NetworkAccess.On, clearance.Mode!.Network);
    }

    [Fact]
    public void Under_network_ask_a_bash_command_whose_network_ask_a_grant_covered_at_its_decision_runs_with_the_network_on()
    {
        var received = Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("curl https://example.com"), CallIntent.Execute, null, T0)).State;
        var covered = Accepted(CallLifecycle.Decide(received, DecisionInput.Of(NetworkAsk(), coveredByGrant: new GrantId("g-1")), T0)).State;

        Assert.Equal(NetworkAccess.On, ExecutionClearance.Granted(covered, NetworkAsk().Mode).Network);
        Assert.Equal(NetworkAccess.Ask, ExecutionClearance.Granted(covered with { Decided = covered.Decided! with { CoveredByGrant = null } }, NetworkAsk().Mode).Network);
    }

    [Fact]
    public void Under_network_ask_an_approval_for_anything_but_the_network_leaves_the_network_off_at_run_time()
    {
        var clearance = ExecutionClearance.Clear(AskedAndAnswered(NetworkAsk(ReasonClass.RuleAsk), Approve()), NetworkAsk(ReasonClass.RuleAsk));

        Assert.Equal(NetworkAccess.Ask, clearance.Mode!.Network);
    }

    [Fact]
    public void A_webfetch_approval_keeps_network_ask_so_its_executor_fetches_the_approved_host_only()
    {
        var clearance = ExecutionClearance.Clear(AskedAndAnswered(NetworkAsk(), Approve(), ToolNames.WebFetch), NetworkAsk());

        Assert.Equal(NetworkAccess.Ask, clearance.Mode!.Network);
    }

    [Fact]
    public void A_network_ask_the_current_policy_turned_off_keeps_the_network_off()
    {
        var off = NetworkAsk() with { Mode = NetworkAsk().Mode with { Network = NetworkAccess.Off } };

        Assert.Equal(NetworkAccess.Off, ExecutionClearance.Clear(AskedAndAnswered(NetworkAsk(), Approve()), off).Mode!.Network);
    }
}
