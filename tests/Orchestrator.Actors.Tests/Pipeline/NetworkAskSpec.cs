using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A <see cref="PipelineExecutionSpec"/> under <c>--network ask</c> (on-request approvals, no domain rules): submits
/// calls that wait for approval and answers them through the broker.
/// </summary>
public abstract class NetworkAskSpec(ITestOutputHelper output, string workspacePrefix) : PipelineExecutionSpec(output, workspacePrefix)
{
    protected override PolicyCatalog Policies => PolicyCatalog.Of(PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Home,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        ApprovalPolicy = "on-request",
        Network = "ask",
        AskRules = ["Bash(echo asked:*)"],
    }));

    /// <summary>Submits <paramref name="call"/> for execution and returns the approval it waits for.</summary>
    protected async Task<ApprovalRequested> SubmitAskAsync(ToolCall call)
    {
        var accepted = await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        Assert.True(accepted.State.Status == CallStatus.AwaitingApproval,
            $"expected an approval, got {accepted.State.Status} {accepted.State.Outcome}: {accepted.State.Decided?.Verdict.Reason}");
        return accepted.State.PendingApproval!;
    }

    /// <summary>Answers <paramref name="request"/> as operator alice.</summary>
    protected async Task AnswerAsync(ApprovalRequested request, bool approved, GrantScope scope = GrantScope.Once) =>
        await (await RegisteredAsync<ApprovalBroker>()).Ask<ApprovalAnswerAccepted>(
            new SubmitApprovalAnswer(new ApprovalAnswer(request.ApprovalId, approved, scope, "checked", "alice")), Patience);

    /// <summary>Waits for the end of <paramref name="call"/>.</summary>
    protected async Task<CallSnapshot> EndOfAsync(ToolCall call) =>
        await (await SessionsAsync()).Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

    /// <summary>Submits <paramref name="call"/> for execution and waits for its end (for calls no one is asked about).</summary>
    protected async Task<(CallAccepted Accepted, CallSnapshot Done)> SubmitAndRunAsync(ToolCall call)
    {
        var accepted = await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        return (accepted, await EndOfAsync(call));
    }

    /// <summary>The live grants the broker lists, once there are <paramref name="count"/> of them.</summary>
    protected async Task<IReadOnlyList<Grant>> GrantsAsync(int count)
    {
        var broker = await RegisteredAsync<ApprovalBroker>();
        IReadOnlyList<Grant> grants = [];
        await AwaitAssertAsync(async () =>
        {
            grants = (await broker.Ask<CurrentGrants>(new ListGrants(), Patience)).Grants;
            Assert.Equal(count, grants.Count);
        }, Patience);
        return grants;
    }
}
