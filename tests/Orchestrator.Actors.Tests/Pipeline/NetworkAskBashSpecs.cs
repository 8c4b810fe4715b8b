using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Execution;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// <c>--network ask</c> for Bash through the whole pipeline: a network-classified command waits for an operator, and
/// the answer decides whether it runs and with which network (the profile the scripted sandbox received).
/// </summary>
public sealed class NetworkAskBashSpecs(ITestOutputHelper output) : NetworkAskSpec(output, "orchestrator-network-ask-bash-")
{
    private readonly ScriptedSandbox _sandbox = new();

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => _sandbox };

    private (string Command, SandboxProfile Profile)[] RunsOf(string command) => _sandbox.Runs.Where(r => r.Command == command).ToArray();

    [Fact]
    public async Task A_network_command_approved_once_waits_for_the_operator_then_runs_with_the_network_on()
    {
        var call = Bash("curl https://example.com/once");

        var request = await SubmitAskAsync(call);
        Assert.Empty(RunsOf("curl https://example.com/once"));
        await AnswerAsync(request, approved: true);
        var done = await EndOfAsync(call);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.Equal(ReasonClass.Network, done.State.Decided!.Verdict.ReasonClass);
        Assert.Equal("network On", done.Output!.Stdout);
        Assert.Equal(NetworkAccess.On, Assert.Single(RunsOf("curl https://example.com/once")).Profile.Network);
    }

    [Fact]
    public async Task A_denied_network_command_never_runs()
    {
        var call = Bash("curl https://example.com/denied");

        await AnswerAsync(await SubmitAskAsync(call), approved: false);
        var done = await EndOfAsync(call);

        AssertFinished(done, CallOutcome.ApprovalDenied);
        Assert.Null(done.State.Execution);
        Assert.Empty(RunsOf("curl https://example.com/denied"));
    }

    [Fact]
    public async Task A_session_grant_runs_the_same_command_later_in_that_session_with_the_network_on_unasked()
    {
        var first = Bash("curl https://example.com/session");
        var request = await SubmitAskAsync(first);
        await AnswerAsync(request, approved: true, GrantScope.Session);
        var firstDone = await EndOfAsync(first);
        var grant = Assert.Single(await GrantsAsync(1));

        var again = Bash("curl https://example.com/session");
        var (accepted, againDone) = await SubmitAndRunAsync(again);
        await SubmitAskAsync(again with { Id = new CallId(Guid.NewGuid().ToString("n")), Session = new SessionId("exec-2") }); // another session is asked

        AssertFinished(firstDone, CallOutcome.AllowedAndRan);
        Assert.Equal("Bash(curl https://example.com/session)", grant.RuleText);
        Assert.Null(accepted.State.PendingApproval);
        Assert.Equal(GrantId.FromApproval(request.ApprovalId), againDone.State.Decided!.CoveredByGrant);
        AssertFinished(againDone, CallOutcome.AllowedAndRan);
        Assert.Equal("network On", againDone.Output!.Stdout);
        Assert.All(RunsOf("curl https://example.com/session"), r => Assert.Equal(NetworkAccess.On, r.Profile.Network));
        Assert.Equal(2, RunsOf("curl https://example.com/session").Length);
    }

    [Fact]
    public async Task An_approved_ask_that_is_not_about_the_network_runs_with_the_network_still_off()
    {
        var call = Bash("echo asked fine");

        var request = await SubmitAskAsync(call);
        await AnswerAsync(request, approved: true);
        var done = await EndOfAsync(call);

        AssertFinished(done, CallOutcome.AllowedAndRan);
        Assert.NotEqual(ReasonClass.Network, done.State.Decided!.Verdict.ReasonClass);
        var profile = Assert.Single(RunsOf("echo asked fine")).Profile;
        Assert.False(profile.NetworkAllowed);
        Assert.NotEqual(NetworkAccess.On, profile.Network);
    }
}
