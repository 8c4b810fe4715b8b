using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using static Orchestrator.Actors.Tests.Support.HistoryFixtures;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The events the journal's writer hands to the history follower: only the kinds the model folds are held, each taken
/// once, and one the follower never takes is let go after a few of its rounds — the held set does not fill up with
/// events no round will take (executions, approvals, rows the follower read before their hand-over came).
/// </summary>
public sealed class HandedOverEventsTests
{
    private static readonly HashSet<Type> Folded = [typeof(CallReceived)];

    private static HistoryEventAt At(string persistenceId, long sequenceNr, CallEvent e) => new(persistenceId, sequenceNr, e);

    private static CallReceived Call(string id) => Received(id, "s1", "alice", "Bash", 0);

    [Fact]
    public void Only_the_kinds_the_model_folds_are_held()
    {
        var events = new HandedOverEvents(Folded);

        events.Add(At("session-s1", 1, Call("c-1")));
        events.Add(At("session-s1", 2, new ExecutionQueued(new CallId("c-1"), "queued", T0)));

        Assert.Equal(1, events.Count);
        Assert.True(events.Holds("session-s1", 1));
        Assert.False(events.Holds("session-s1", 2));
    }

    [Fact]
    public void An_event_is_taken_once_and_then_no_longer_held()
    {
        var events = new HandedOverEvents(Folded);
        var call = Call("c-1");
        events.Add(At("session-s1", 1, call));

        Assert.Same(call, events.Take("session-s1", 1));
        Assert.Null(events.Take("session-s1", 1));
        Assert.Equal(0, events.Count);
    }

    [Fact]
    public void An_event_not_taken_is_let_go_after_the_rounds_kept_and_one_taken_in_time_is_not_counted_twice()
    {
        var events = new HandedOverEvents(Folded);
        events.Add(At("session-s1", 1, Call("c-1")));
        events.Add(At("session-s1", 2, Call("c-2")));
        Assert.NotNull(events.Take("session-s1", 2));

        for (var round = 1; round < HandedOverEvents.RoundsKept; round++)
        {
            events.EndRound();
            Assert.True(events.Holds("session-s1", 1), $"let go after {round} rounds");
        }
        events.EndRound();

        Assert.False(events.Holds("session-s1", 1));
        Assert.Equal(0, events.Count);
        events.Add(At("session-s1", 3, Call("c-3")));
        Assert.Equal(1, events.Count);
    }

    [Fact]
    public void No_more_than_the_limit_is_held()
    {
        var events = new HandedOverEvents(Folded);
        var call = Call("c-1");

        for (var n = 1; n <= HandedOverEvents.Limit + 10; n++) events.Add(At("session-s1", n, call));

        Assert.Equal(HandedOverEvents.Limit, events.Count);
        Assert.False(events.Holds("session-s1", HandedOverEvents.Limit + 1));
    }
}
