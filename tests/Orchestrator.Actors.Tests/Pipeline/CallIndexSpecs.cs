using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// The call index over the call directory: complete at once (a recorded call is found there, never "not found"), a new
/// id claimed and located without a lookup once the recorded ids are loaded, a directory that cannot be read refusing
/// to guess.
/// </summary>
public sealed class CallIndexSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly CallId Call = new("call-1");
    private static readonly SessionId Holder = new("holder"), Other = new("other");

    /// <summary>A directory whose every read fails (its database is gone).</summary>
    private sealed class BrokenDirectory : ICallDirectory
    {
        public Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken = default) => throw Broken();
        public Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyDictionary<CallId, CallPlace>>(Broken());
        public Task<IReadOnlyList<SessionId>> SessionsToWakeAsync(CancellationToken cancellationToken = default) => throw Broken();
        public async IAsyncEnumerable<CallId> AllCallIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw Broken();
#pragma warning disable CS0162 // an async iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }
        private static InvalidOperationException Broken() => new("database is locked");
    }

    [Fact]
    public async Task A_recorded_call_is_found_in_the_directory_at_once_and_a_new_id_is_claimed_without_a_lookup_once_the_recorded_ids_are_loaded()
    {
        var directory = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [Call] = new(Holder, 1, 2) });
        var table = new CallIdTable(complete: false);
        var index = Sys.ActorOf(CallIndex.Props(table, directory));

        index.Tell(new LocateCall(Call), TestActor);
        Assert.Equal(new CallLocated(Call, Holder), ExpectMsg<CallLocated>(Patience));
        await AwaitConditionAsync(() => Task.FromResult(table.IsComplete), Patience);
        var lookups = directory.Lookups;
        Assert.IsType<CallClaimed>(table.TryClaim(new CallId("fresh"), Other));
        index.Tell(new LocateCall(new CallId("never")), TestActor);
        ExpectMsg<CallNotFound>(Patience);
        Assert.Equal(lookups, directory.Lookups);
        Assert.IsType<CallIdTaken>(table.TryClaim(Call, Other)); // held since it was located
    }

    [Fact]
    public async Task An_id_the_recorded_filter_may_hold_is_claimed_through_the_directory_taken_by_another_session_and_already_held_by_its_own()
    {
        var recorded = new CallId("recorded-not-located");
        var directory = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [recorded] = new(Holder, 3, null) });
        var table = new CallIdTable(complete: false);
        var index = Sys.ActorOf(CallIndex.Props(table, directory));
        await AwaitConditionAsync(() => Task.FromResult(table.IsComplete), Patience);

        Assert.Null(table.TryClaim(recorded, Other)); // only the directory can tell
        index.Tell(new ClaimCall(recorded, Other), TestActor);
        Assert.Equal(new CallIdTaken(recorded, Holder), ExpectMsg<CallIdTaken>(Patience));
        index.Tell(new ClaimCall(recorded, Holder), TestActor);
        Assert.True(ExpectMsg<CallClaimed>(Patience).AlreadyHeld);
    }

    [Fact]
    public void A_directory_that_cannot_be_read_answers_a_locate_unavailable_and_refuses_a_claim()
    {
        var index = Sys.ActorOf(CallIndex.Props(new CallIdTable(complete: false), new BrokenDirectory()));

        index.Tell(new LocateCall(Call), TestActor);
        Assert.Contains("database is locked", ExpectMsg<CallIndexUnavailable>(Patience).Reason);
        index.Tell(new ClaimCall(Call, Holder), TestActor);
        Assert.Contains("database is locked", ExpectMsg<CallNotAccepted>(Patience).Reason);
    }

    [Fact]
    public void An_index_with_nothing_recorded_answers_at_once()
    {
        var index = Sys.ActorOf(CallIndex.Props(new CallIdTable(complete: true), FixedCallDirectory.Empty));

        index.Tell(new LocateCall(Call), TestActor);
        ExpectMsg<CallNotFound>(Patience);
        index.Tell(new ClaimCall(Call, Holder), TestActor);
        ExpectMsg<CallClaimed>(Patience);
    }

    [Fact]
    public void A_retired_call_leaves_the_table_and_its_id_is_then_settled_by_the_directory_never_claimed_anew()
    {
        var directory = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [Call] = new(Holder, 1, 2) });
        var table = new CallIdTable(complete: true);
        var index = Sys.ActorOf(CallIndex.Props(table, directory));
        Assert.IsType<CallClaimed>(table.TryClaim(Call, Holder));

        table.Retire(Call, Other); // not Other's: stays
        Assert.True(table.Holds(Call));
        table.Retire(Call, Holder);

        Assert.False(table.Holds(Call));
        Assert.Equal(0, table.Count);
        Assert.Null(table.TryClaim(Call, Other));
        Assert.IsType<CallClaimed>(table.TryClaim(new CallId("fresh"), Other));
        index.Tell(new ClaimCall(Call, Other), TestActor);
        Assert.Equal(new CallIdTaken(Call, Holder), ExpectMsg<CallIdTaken>(Patience));
        index.Tell(new LocateCall(Call), TestActor);
        Assert.Equal(new CallLocated(Call, Holder), ExpectMsg<CallLocated>(Patience));
    }
}
