using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A <see cref="PipelineSpec"/> about operator approvals: submits asks and answers them through the broker.</summary>
public abstract class ApprovalSpec(ITestOutputHelper output) : PipelineSpec(output)
{
    /// <summary>The <see cref="ApprovalBroker"/> from the ActorRegistry.</summary>
    protected Task<IActorRef> BrokerAsync() => RegisteredAsync<ApprovalBroker>();

    protected async Task<ApprovalRequested> SubmitAskAsync(ToolCall call) => await SubmitAskAsync(await SessionsAsync(), call);

    protected static async Task<ApprovalRequested> SubmitAskAsync(IActorRef sessions, ToolCall call)
    {
        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        return accepted.State.PendingApproval!;
    }

    protected static ApprovalAnswer Answer(ApprovalRequested request, bool approved, GrantScope scope = GrantScope.Once, string by = "alice") =>
        new(request.ApprovalId, approved, scope, "checked", by);
}
