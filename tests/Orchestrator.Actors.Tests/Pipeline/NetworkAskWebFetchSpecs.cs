using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox.Tests.Tools;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// <c>--network ask</c> for WebFetch through the whole pipeline and the real executor: a fetch from a host no rule
/// names becomes an approval for that domain, answered once, for the session or always. The host is a local HTTP
/// server (no internet); being this machine, it stays unreachable without an allow rule naming it even once approved,
/// so each approved fetch runs and is stopped at the address check, never at the host check, and nothing is requested.
/// </summary>
public sealed class NetworkAskWebFetchSpecs(ITestOutputHelper output) : NetworkAskSpec(output, "orchestrator-network-ask-fetch-")
{
    private const string ThisMachine = "an address on this machine or its private network";
    private readonly LocalWebServer _server = new();

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        _server.Dispose();
    }

    private ToolCall Fetch(string path, string session = "exec-1") =>
        Call(ToolNames.WebFetch, ToolInputKeys.Url, _server.Url("localhost", path)) with { Session = new SessionId(session) };

    /// <summary>The approved fetch ran its executor, which admitted the approved host and refused only its address: the
    /// call ran and failed with that reason.</summary>
    private void AssertRanForTheApprovedHostOnly(CallSnapshot done)
    {
        AssertFinished(done, CallOutcome.Failed);
        Assert.NotEqual(0, done.State.Finished!.Result.ExitCode);
        Assert.Contains(ThisMachine, done.State.Completion!.Detail);
        Assert.Contains(ThisMachine, done.Output!.Stderr);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_fetch_from_a_host_without_a_rule_asks_for_that_domain_and_once_grants_nothing_lasting()
    {
        _server.Text("/once", "text/plain", "hello");
        var call = Fetch("/once");

        var request = await SubmitAskAsync(call);
        await AnswerAsync(request, approved: true);
        var done = await EndOfAsync(call);
        var later = Fetch("/once");
        var laterRequest = await SubmitAskAsync(later);

        Assert.Equal(ReasonClass.Network, done.State.Decided!.Verdict.ReasonClass);
        Assert.Contains("fetches from localhost", done.State.Decided.Verdict.Reason);
        AssertRanForTheApprovedHostOnly(done);
        Assert.Empty(await GrantsAsync(0));
        Assert.NotEqual(request.ApprovalId, laterRequest.ApprovalId);
    }

    [Fact]
    public async Task A_denied_fetch_never_runs()
    {
        var call = Fetch("/denied");

        await AnswerAsync(await SubmitAskAsync(call), approved: false);
        var done = await EndOfAsync(call);

        AssertFinished(done, CallOutcome.ApprovalDenied);
        Assert.Null(done.State.Execution);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_session_answer_grants_the_domain_so_a_later_fetch_from_that_host_in_the_session_runs_unasked()
    {
        var first = Fetch("/first");
        var request = await SubmitAskAsync(first);
        await AnswerAsync(request, approved: true, GrantScope.Session);
        var firstDone = await EndOfAsync(first);
        var grant = Assert.Single(await GrantsAsync(1));

        var (accepted, laterDone) = await SubmitAndRunAsync(Fetch("/another/page"));
        await SubmitAskAsync(Fetch("/first", session: "exec-2")); // another session is asked

        Assert.Equal(GrantScope.Session, grant.Scope);
        Assert.Equal("WebFetch(domain:localhost)", grant.RuleText);
        AssertRanForTheApprovedHostOnly(firstDone);
        Assert.Null(accepted.State.PendingApproval);
        Assert.Equal(GrantId.FromApproval(request.ApprovalId), laterDone.State.Decided!.CoveredByGrant);
        AssertRanForTheApprovedHostOnly(laterDone);
    }

    [Fact]
    public async Task An_always_answer_is_reported_by_the_broker_as_an_allow_rule_for_the_domain_that_covers_every_session()
    {
        var first = Fetch("/always");
        var request = await SubmitAskAsync(first);
        await AnswerAsync(request, approved: true, GrantScope.Always);
        var firstDone = await EndOfAsync(first);
        var grant = Assert.Single(await GrantsAsync(1));

        var (accepted, elsewhereDone) = await SubmitAndRunAsync(Fetch("/always", session: "exec-2"));

        Assert.Equal(GrantScope.Always, grant.Scope);
        Assert.Equal("WebFetch(domain:localhost)", grant.RuleText);
        AssertRanForTheApprovedHostOnly(firstDone);
        Assert.Null(accepted.State.PendingApproval);
        Assert.Equal(GrantId.FromApproval(request.ApprovalId), elsewhereDone.State.Decided!.CoveredByGrant);
        AssertRanForTheApprovedHostOnly(elsewhereDone);
    }
}
