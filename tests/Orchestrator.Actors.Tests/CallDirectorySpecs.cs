using Akka.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The durable call directory the journal keeps (orchestrator_calls), on every backend: a call's row is there once its
/// first event is, its last sequence number once its terminal event is, the sessions with open calls are listed, a
/// journal written without the directory fills it at start, and one session's duplicate call id fails no other write.
/// </summary>
public abstract class CallDirectorySpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private string CallTable => Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.TableName;

    private static CallReceived Received(string call) =>
        (CallReceived)SampleValues.Create(typeof(CallReceived))! with { CallId = new CallId(call) };

    private static CallDecided Decided(string call) =>
        (CallDecided)SampleValues.Create(typeof(CallDecided))! with { CallId = new CallId(call) };

    private static CallCompleted Completed(string call) =>
        (CallCompleted)SampleValues.Create(typeof(CallCompleted))! with { CallId = new CallId(call) };

    private async Task<long> Persist(string persistenceId, object evt)
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(TestEventLog.Props(persistenceId)).Tell(new Append(evt, []), probe.Ref);
        return (await probe.ExpectMsgAsync<Appended>(Patience)).SequenceNr;
    }

    [Fact]
    public async Task A_call_has_its_row_once_its_first_event_is_written_and_its_last_sequence_number_once_its_terminal_event_is()
    {
        var log = Sys.ActorOf(TestEventLog.Props("session-s1"));
        var probe = CreateTestProbe();
        log.Tell(new Append(Received("c-1"), []), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);

        var directory = CallDirectory.Get(Sys);
        Assert.Equal(new CallPlace(new SessionId("s1"), 1, null), await directory.FindAsync(new CallId("c-1")));

        log.Tell(new Append(Decided("c-1"), []), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);
        log.Tell(new Append(Completed("c-1"), []), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);

        await AwaitAssertAsync(async () =>
            Assert.Equal(new CallPlace(new SessionId("s1"), 1, 3), await directory.FindAsync(new CallId("c-1"))), Patience);
        Assert.Null(await directory.FindAsync(new CallId("c-never")));
        Assert.Equal(1, Backend.Execute($"UPDATE {CallTable} SET first_seq = first_seq WHERE call_id = @c", ("@c", "c-1")));
    }

    [Fact]
    public async Task A_call_received_decided_and_completed_in_one_event_is_closed_with_that_event()
    {
        var both = new CallReceivedAndDecided(Received("c-auto"), Decided("c-auto"), Completed: Completed("c-auto"));
        var sequenceNr = await Persist("session-s2", both);

        var place = await CallDirectory.Get(Sys).FindAsync(new CallId("c-auto"));

        Assert.Equal(new CallPlace(new SessionId("s2"), sequenceNr, sequenceNr), place);
    }

    [Fact]
    public async Task Only_sessions_with_an_open_call_are_listed_and_every_call_id_is_streamed()
    {
        await Persist("session-open", Received("c-open"));
        await Persist("session-done", new CallReceivedAndDecided(Received("c-done"), Decided("c-done"), Completed: Completed("c-done")));
        await Persist("policy-not-a-session", Received("c-elsewhere"));

        var directory = CallDirectory.Get(Sys);
        var sessions = await directory.SessionsToWakeAsync();
        var all = new List<CallId>();
        await foreach (var call in directory.AllCallIdsAsync()) all.Add(call);
        var found = await directory.FindManyAsync([new CallId("c-open"), new CallId("c-done"), new CallId("c-none")]);

        Assert.Equal([new SessionId("open")], sessions);
        Assert.Equal(["c-done", "c-open"], all.Select(c => c.Value).Order());
        Assert.Equal(["c-done", "c-open"], found.Keys.Select(c => c.Value).Order());
        Assert.False(found[new CallId("c-done")].IsOpen);
    }

    [Fact]
    public async Task A_call_id_another_session_holds_does_not_fail_the_write_and_stays_with_the_first_session()
    {
        await Persist("session-first", Received("c-dup"));
        var second = Sys.ActorOf(TestEventLog.Props("session-second"));
        var probe = CreateTestProbe();
        // Both in flight together, so they can share a batch: neither write may fail.
        second.Tell(new AppendAsync(Received("c-dup")), probe.Ref);
        second.Tell(new AppendAsync(Received("c-own")), probe.Ref);

        Assert.Equal(1, (await probe.ExpectMsgAsync<Appended>(Patience)).SequenceNr);
        Assert.Equal(2, (await probe.ExpectMsgAsync<Appended>(Patience)).SequenceNr);
        var directory = CallDirectory.Get(Sys);
        Assert.Equal(new SessionId("first"), (await directory.FindAsync(new CallId("c-dup")))!.Session);
        Assert.Equal(new CallPlace(new SessionId("second"), 2, null), await directory.FindAsync(new CallId("c-own")));
    }

    [Fact]
    public async Task A_journal_written_before_the_directory_existed_fills_it_once_at_start()
    {
        await Persist("session-old", Received("c-old-open"));
        var log = Sys.ActorOf(TestEventLog.Props("session-old2"));
        var probe = CreateTestProbe();
        foreach (var evt in new object[] { Received("c-old-done"), Decided("c-old-done"), Completed("c-old-done") })
        {
            log.Tell(new Append(evt, []), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(Patience);
        }
        await StopTestKitSystemAsync();
        Backend.Execute($"DROP TABLE {CallTable}");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        var directory = CallDirectory.Get(host.System);

        Assert.Equal([new SessionId("old")], await directory.SessionsToWakeAsync());
        Assert.Equal(new CallPlace(new SessionId("old2"), 1, 3), await directory.FindAsync(new CallId("c-old-done")));
        Assert.Equal(new CallPlace(new SessionId("old"), 1, null), await directory.FindAsync(new CallId("c-old-open")));
    }
}

public sealed class SqliteCallDirectorySpecs(ITestOutputHelper output) : CallDirectorySpecs(new SqliteBackend(), output);

public sealed class PostgresCallDirectorySpecs(ITestOutputHelper output) : CallDirectorySpecs(PostgresBackend.FromEnvironment(), output);

/// <summary>The same, with Akka.Persistence.Sql writing the events and the directory kept around its writes.</summary>
public sealed class SqliteCallDirectoryAroundAkkaWritesSpecs(ITestOutputHelper output) : CallDirectorySpecs(new SqliteBackend(), output)
{
    protected override void ConfigureAkka(Akka.Hosting.AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.AddHocon($"akka.persistence.journal.sql.{IntegrityJournal.OwnWriterSetting} = off", Akka.Hosting.HoconAddMode.Prepend);
        base.ConfigureAkka(builder, provider);
    }
}
