using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>
/// <see cref="CallLifecycle.Apply"/> folds a <see cref="CallReceivedAndDecided"/> in one step; it must stay the same
/// function as folding the parts it stands for one by one. The space of combined events — every received, decision,
/// request, answer and completion below, of this call or a foreign one, on every starting state — is small enough to
/// check whole.
/// </summary>
public sealed class CallReceivedAndDecidedFoldTests
{
    private static readonly CallId Foreign = new("call-2");

    private static CallCommandResult Submit(DecisionInput decision, CallIntent intent = CallIntent.DecideOnly, string id = "call-1") =>
        Accepted(CallLifecycle.Receive(CallState.New(new CallId(id)), Bash("git push origin main", id), intent, decision, T0));

    private static CallReceivedAndDecided Combined(CallCommandResult result) => (CallReceivedAndDecided)result.Events[0];

    private static readonly CallCommandResult AskToRun = Submit(Ask(FirstApproval), CallIntent.Execute);
    private static readonly CallCommandResult AskOnly = Submit(Ask(SecondApproval));
    private static readonly CallCommandResult Allowed = Submit(Allow());
    private static readonly CallCommandResult Denied = Submit(Deny());
    private static readonly CallCommandResult Granted = Submit(DecisionInput.Of(Verdict(Decision.Ask), null, new GrantId("grant-1")));
    private static readonly CallCommandResult AskWithoutSpec = Submit(DecisionInput.Of(Verdict(Decision.Ask)));
    private static readonly CallCommandResult OfForeignCall = Submit(Ask(FirstApproval), id: Foreign.Value);

    private static readonly CallCommandResult ApprovedOnly = Accepted(CallLifecycle.AnswerApproval(AskOnly.State, Approve(SecondApproval), T0));
    private static readonly CallCommandResult RefusedOnly = Accepted(CallLifecycle.AnswerApproval(AskOnly.State, Refuse(SecondApproval), T0));
    private static readonly CallCommandResult ApprovedToRun = Accepted(CallLifecycle.AnswerApproval(AskToRun.State, Approve(FirstApproval), T0));
    private static readonly CallCommandResult ForeignApproved = Accepted(CallLifecycle.AnswerApproval(OfForeignCall.State, Approve(FirstApproval), T0));

    private static readonly CallReceived[] Receiveds = [Combined(AskToRun).Received, Combined(Allowed).Received, Combined(OfForeignCall).Received];

    private static readonly CallDecided[] Decideds =
        [.. new[] { AskToRun, Allowed, Denied, Granted, AskWithoutSpec, OfForeignCall }.Select(r => Combined(r).Decided)];

    private static readonly ApprovalRequested?[] Requesteds =
        [null, (ApprovalRequested)AskToRun.Events[1], (ApprovalRequested)AskOnly.Events[1], (ApprovalRequested)OfForeignCall.Events[1]];

    private static readonly ApprovalAnswered?[] Answereds =
        [null, .. new[] { ApprovedOnly, RefusedOnly, ApprovedToRun, ForeignApproved }.Select(r => (ApprovalAnswered)r.Events[0])];

    private static readonly CallCompleted?[] Completeds =
        [null, (CallCompleted)Allowed.Events[1], (CallCompleted)Denied.Events[1], (CallCompleted)RefusedOnly.Events[1], (CallCompleted)ForeignApproved.Events[1]];

    private static readonly CallState[] Starts =
        [CallState.New(Id), CallState.New(Id) with { Work = new CallWork { Intent = CallIntent.Execute } }, Received(), Awaiting(), CallState.New(Foreign)];

    [Fact]
    public void Applying_a_combined_event_equals_applying_its_parts_in_order_for_every_combination()
    {
        var (folded, refused) = (0, 0);
        foreach (var start in Starts)
        foreach (var received in Receiveds)
        foreach (var decided in Decideds)
        foreach (var requested in Requesteds)
        foreach (var answered in Answereds)
        foreach (var completed in Completeds)
        {
            var combined = new CallReceivedAndDecided(received, decided, requested, answered, completed);
            var byParts = Outcome(() => combined.Parts().Aggregate(start, CallLifecycle.Apply));
            // The combined event carries its received part's call id, so a foreign one is refused naming the combined event.
            var inOne = Outcome(() => CallLifecycle.Apply(start, combined));
            inOne = inOne with { Refusal = inOne.Refusal?.Replace(nameof(CallReceivedAndDecided), nameof(CallReceived)) };
            Assert.Equal(byParts, inOne);
            if (byParts.State is null) refused++;
            else folded++;
        }
        // Both kinds occur, so the comparison above covered legal folds as well as refusals.
        Assert.True(folded >= 10, $"only {folded} combinations folded");
        Assert.True(refused >= 10, $"only {refused} combinations were refused");
    }

    [Fact]
    public void The_automatic_paths_fold_to_the_state_their_separate_events_give()
    {
        foreach (var (decided, answer) in new[] { (Allowed, (CallCommandResult?)null), (Denied, null), (Granted, null), (AskOnly, ApprovedOnly), (AskOnly, RefusedOnly) })
        {
            var events = decided.Events.AddRange(answer?.Events ?? []);
            var compacted = Assert.Single(CallLifecycle.Compact(events));
            var separate = Combined(decided).Parts().Concat(events.Skip(1)).Aggregate(CallState.New(Id), CallLifecycle.Apply);

            Assert.Equal(separate, CallLifecycle.Apply(CallState.New(Id), compacted));
            Assert.Equal(CallStatus.Completed, separate.Status);
        }
    }

    private sealed record Folded(CallState? State, string? Refusal);

    private static Folded Outcome(Func<CallState> fold)
    {
        try
        {
            return new(fold(), null);
        }
        catch (InvalidOperationException e)
        {
            return new(null, e.Message);
        }
    }
}
