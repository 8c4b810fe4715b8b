using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Storage;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// Rows changed straight in the database while the server is down — inserted, edited, deleted, reordered, unsealed,
/// cut off at the end — are each detected when the persistence id recovers: the actor stops before it handles
/// anything, and one line names the journal and the sequence number. Runs on every backend.
/// </summary>
public abstract class JournalTamperingSpecs(IJournalBackend backend, ITestOutputHelper output)
    : JournalSpec<IJournalBackend>(backend, output)
{
    private const string Id = "session-tampered";

    protected abstract string JournalNamePart { get; }

    [Fact]
    public async Task An_untouched_journal_recovers_every_event()
    {
        await WriteFive();
        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        var probe = CreateTestProbe(host.System);
        host.System.ActorOf(TestEventLog.Props(Id)).Tell(GetEvents.Instance, probe.Ref);
        Assert.Equal(5, (await probe.ExpectMsgAsync<EventsSoFar>(Patience)).Events.Length);
    }

    [Fact]
    public async Task An_edited_row_is_detected_at_its_sequence_number()
    {
        await WriteFive();
        var row = Backend.ReadJournalRows().Single(r => r.SequenceNr == 3);
        var edited = row.Payload.ToArray();
        edited[^2] ^= 0x01;
        SetMessage(3, edited);

        AssertOneLine(await RecoveryFailure(), "#3");
    }

    [Fact]
    public async Task A_row_appended_by_copying_another_is_detected()
    {
        await WriteFive();
        CopyRow(from: 2, to: 6);

        AssertOneLine(await RecoveryFailure(), "#6");
    }

    [Fact]
    public async Task A_row_inserted_in_the_middle_is_detected()
    {
        await WriteFive();
        // Make room at #3 as a forger would: renumber #3..#5 to #4..#6, then put a copy of #2 at #3.
        Backend.Execute($"UPDATE {Backend.JournalTable} SET sequence_number = sequence_number + 100 WHERE persistence_id = @p AND sequence_number >= 3", ("@p", Id));
        Backend.Execute($"UPDATE {Backend.JournalTable} SET sequence_number = sequence_number - 99 WHERE persistence_id = @p AND sequence_number > 100", ("@p", Id));
        CopyRow(from: 2, to: 3);

        AssertOneLine(await RecoveryFailure(), "#3");
    }

    [Fact]
    public async Task A_row_deleted_from_the_middle_is_detected()
    {
        await WriteFive();
        Backend.Execute($"DELETE FROM {Backend.JournalTable} WHERE persistence_id = @p AND sequence_number = 3", ("@p", Id));

        var line = await RecoveryFailure();
        AssertOneLine(line, "#4");
        Assert.Contains("event #3 is missing", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_rows_swapped_are_detected()
    {
        await WriteFive();
        var rows = Backend.ReadJournalRows().Where(r => r.PersistenceId == Id).ToDictionary(r => r.SequenceNr);
        SetMessage(2, rows[3].Payload, rows[3].Manifest);
        SetMessage(3, rows[2].Payload, rows[2].Manifest);

        AssertOneLine(await RecoveryFailure(), "#2");
    }

    [Fact]
    public async Task The_last_rows_deleted_are_refused_at_start_by_the_high_water_mark()
    {
        await WriteFive();
        Backend.Execute($"DELETE FROM {Backend.JournalTable} WHERE persistence_id = @p AND sequence_number >= 4", ("@p", Id));

        // Refused before anything starts: the journal as a whole is behind the mark kept apart from it.
        var refused = Assert.Throws<StartupRefusedException>(() => JournalOpening.Check(Backend.Options));
        Output?.WriteLine(refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Contains(JournalNamePart, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"{Id} up to #3 but the high-water mark says #5", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsealed_row_is_refused()
    {
        await WriteFive();
        Backend.Execute(
            $"INSERT INTO {Backend.JournalTable} (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) " +
            "VALUES (0, @d, @p, 6, @m, NULL, 'test-thing-renamed.v1', 4201, NULL)",
            ("@d", false), ("@p", Id), ("@m", "{\"from\":\"a\",\"to\":\"b\",\"aliases\":null}"u8.ToArray()));

        var line = await RecoveryFailure();
        AssertOneLine(line, "#6");
        Assert.Contains("not sealed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_row_is_left_out_of_queries_by_tag()
    {
        await WriteFive();
        CopyRow(from: 2, to: 6);

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        var tagged = await (await OrchestratorReadJournal.OfAsync(host.System)).CurrentEventsByTag("happened", Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), host.System.Materializer()).WaitAsync(Patience);

        Assert.Equal([2L], tagged.Select(e => e.SequenceNr));
    }

    /// <summary>
    /// Writes five events on the TestKit system, then stops it: the rows are changed while the server is down, and
    /// what is proved is what the next host (a second one, for that phase only) makes of them.
    /// </summary>
    private async Task WriteFive()
    {
        var probe = CreateTestProbe();
        var log = Sys.ActorOf(TestEventLog.Props(Id));
        for (var i = 1; i <= 5; i++)
        {
            log.Tell(new Append(TestThingHappened.Sample(i), i == 2 ? ["happened"] : []), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(Patience);
        }
        await StopTestKitSystemAsync();
    }

    /// <summary>Starts a host, wakes the tampered persistence id and returns the error line it died with.</summary>
    private async Task<string> RecoveryFailure()
    {
        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        var probe = CreateTestProbe(host.System);
        host.System.EventStream.Subscribe(probe.Ref, typeof(Error));
        var log = host.System.ActorOf(TestEventLog.Props(Id));
        probe.Watch(log);
        log.Tell(GetEvents.Instance, probe.Ref);

        string? line = null;
        var stopped = false;
        while (line is null || !stopped)
        {
            switch (await probe.ReceiveOneAsync(Patience))
            {
                case Error error when error.Message?.ToString() is { } text && text.Contains(Id, StringComparison.Ordinal):
                    line = text;
                    break;
                case Terminated terminated when terminated.ActorRef.Equals(log):
                    stopped = true;
                    break;
                case EventsSoFar:
                    Assert.Fail("the tampered persistence id answered as if its history were sound");
                    break;
                case null:
                    Assert.Fail($"no recovery failure within {Patience} (line: {line ?? "none"}, stopped: {stopped})");
                    break;
            }
        }
        return line;
    }

    private void AssertOneLine(string line, string sequenceNr)
    {
        Output?.WriteLine(line);
        Assert.DoesNotContain('\n', line);
        Assert.Contains(JournalNamePart, line, StringComparison.Ordinal);
        Assert.Contains($"{Id} event {sequenceNr}", line, StringComparison.Ordinal);
    }

    private void SetMessage(long sequenceNr, byte[] message, string? manifest = null) =>
        Assert.Equal(1, Backend.Execute(
            $"UPDATE {Backend.JournalTable} SET message = @m, manifest = COALESCE(@f, manifest) WHERE persistence_id = @p AND sequence_number = @s",
            ("@m", message), ("@f", (object?)manifest ?? DBNull.Value), ("@p", Id), ("@s", sequenceNr)));

    private void CopyRow(long from, long to) =>
        Assert.Equal(1, Backend.Execute(
            $"INSERT INTO {Backend.JournalTable} (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) " +
            $"SELECT created, deleted, persistence_id, @to, message, tags, manifest, identifier, writer_uuid FROM {Backend.JournalTable} " +
            "WHERE persistence_id = @p AND sequence_number = @from",
            ("@to", to), ("@p", Id), ("@from", from)));
}

public sealed class SqliteJournalTamperingSpecs(ITestOutputHelper output) : JournalTamperingSpecs(new SqliteBackend(), output)
{
    protected override string JournalNamePart => ((SqliteBackend)Backend).Sqlite.DatabasePath;
}

public sealed class PostgresJournalTamperingSpecs(ITestOutputHelper output) : JournalTamperingSpecs(PostgresBackend.FromEnvironment(), output)
{
    protected override string JournalNamePart => "PostgreSQL";
}
