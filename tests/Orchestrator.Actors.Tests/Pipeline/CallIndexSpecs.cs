using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// The call index while sessions recover: an id it does not know yet may be in the journal, so it is never answered
/// "not found" before every session has registered its calls.
/// </summary>
public sealed class CallIndexSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(5);
    private static readonly CallId Call = new("call-1");
    private static readonly SessionId Holder = new("holder"), Other = new("other");

    private IActorRef Recovering() => Sys.ActorOf(CallIndex.Props(awaitsRecovery: true));

    [Fact]
    public void A_locate_for_a_call_not_registered_yet_waits_for_the_session_that_registers_it()
    {
        var index = Recovering();

        index.Tell(new LocateCall(Call, LongWait), TestActor);
        index.Tell(new CallsRegistered(Holder, [new CallId("another"), Call]));

        Assert.Equal(new CallLocated(Call, Holder), ExpectMsg<CallLocated>(Patience));
    }

    [Fact]
    public void A_locate_whose_wait_ends_first_is_answered_recovering_each_on_its_own_and_not_found_once_the_index_is_complete()
    {
        var index = Recovering();

        index.Tell(new LocateCall(Call, TimeSpan.FromMilliseconds(50)), TestActor);
        index.Tell(new LocateCall(Call, TimeSpan.FromMilliseconds(50)), TestActor);
        index.Tell(new LocateCall(Call), TestActor);
        ExpectMsg<CallIndexRecovering>(Patience);
        ExpectMsg<CallIndexRecovering>(Patience);
        ExpectMsg<CallIndexRecovering>(Patience);

        index.Tell(new LocateCall(Call, LongWait), TestActor);
        index.Tell(CallIndexComplete.Instance);
        ExpectMsg<CallNotFound>(Patience);
        index.Tell(new LocateCall(Call, LongWait), TestActor);
        ExpectMsg<CallNotFound>(Patience);
    }

    [Fact]
    public void A_claim_while_recovering_is_refused_when_a_recovering_session_holds_the_id_and_granted_once_none_does()
    {
        var index = Recovering();

        index.Tell(new ClaimCall(Call, Other), TestActor);
        index.Tell(new ClaimCall(new CallId("fresh"), Other), TestActor);
        index.Tell(new CallsRegistered(Holder, [Call]));
        Assert.Equal(new CallIdTaken(Call, Holder), ExpectMsg<CallIdTaken>(Patience));

        index.Tell(CallIndexComplete.Instance);
        Assert.Equal(new CallClaimed(new CallId("fresh")), ExpectMsg<CallClaimed>(Patience));
    }

    [Fact]
    public async Task With_a_directory_a_new_id_is_claimed_without_a_lookup_and_a_recorded_one_is_found_there_without_waiting()
    {
        var directory = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [Call] = new(Holder, 1, 2) });
        var table = new CallIdTable(complete: false);
        var index = Sys.ActorOf(CallIndex.Props(table, directory));

        index.Tell(new LocateCall(Call), TestActor);
        Assert.Equal(new CallLocated(Call, Holder), ExpectMsg<CallLocated>(Patience));
        await AwaitConditionAsync(() => Task.FromResult(table.IsComplete), Patience);
        var lookups = directory.Lookups;
        Assert.IsType<CallClaimed>(table.TryClaim(new CallId("fresh"), Other));
        Assert.Equal(lookups, directory.Lookups);
        Assert.IsType<CallIdTaken>(table.TryClaim(Call, Other)); // held since it was located

        var recordedElsewhere = new CallId("recorded-not-located");
        var other = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [recordedElsewhere] = new(Holder, 3, null) });
        var otherTable = new CallIdTable(complete: false);
        var otherIndex = Sys.ActorOf(CallIndex.Props(otherTable, other));
        await AwaitConditionAsync(() => Task.FromResult(otherTable.IsComplete), Patience);
        Assert.Null(otherTable.TryClaim(recordedElsewhere, Other)); // only the directory can tell
        otherIndex.Tell(new ClaimCall(recordedElsewhere, Other), TestActor);
        Assert.Equal(new CallIdTaken(recordedElsewhere, Holder), ExpectMsg<CallIdTaken>(Patience));
        otherIndex.Tell(new ClaimCall(recordedElsewhere, Holder), TestActor);
        Assert.True(ExpectMsg<CallClaimed>(Patience).AlreadyHeld);
        otherIndex.Tell(new LocateCall(new CallId("never")), TestActor);
        ExpectMsg<CallNotFound>(Patience);
    }

    [Fact]
    public void An_index_with_nothing_to_recover_answers_at_once()
    {
        var index = Sys.ActorOf(CallIndex.Props());

        index.Tell(new LocateCall(Call, LongWait), TestActor);
        ExpectMsg<CallNotFound>(Patience);
        index.Tell(new ClaimCall(Call, Holder), TestActor);
        ExpectMsg<CallClaimed>(Patience);
    }
}
