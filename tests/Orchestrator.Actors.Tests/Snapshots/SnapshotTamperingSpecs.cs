using System.Buffers.Binary;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Storage;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>
/// A snapshot changed in the database while the server is down — its bytes, its head, its sequence number, another
/// session's snapshot put in its place, or one sealed with the right key over another history — is not used: one line
/// names the journal, the session and the sequence number, and the session recovers from its first event with the
/// state its events give.
/// </summary>
public sealed class SnapshotTamperingSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    private static readonly SessionId Tampered = new("tampered");
    private static readonly SessionId Other = new("other");
    private static readonly string TamperedId = AgentSessionActor.PersistenceIdOf(Tampered);

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SnapshotEvery = 2 };

    [Fact]
    public Task A_snapshot_with_edited_bytes_is_refused() =>
        RefusedAfter(row => Update(row, Flip(row.Payload, ^1)), "seal that does not match");

    [Fact]
    public Task A_snapshot_with_an_edited_head_is_refused() =>
        RefusedAfter(row => Update(row, Flip(row.Payload, 5)), "seal that does not match");

    [Fact]
    public Task A_snapshot_moved_to_another_sequence_number_is_refused() =>
        RefusedAfter(row =>
        {
            Backend.Execute("UPDATE snapshot SET sequence_number = sequence_number - 1 WHERE persistence_id = @p", ("@p", TamperedId));
            return row.SequenceNr - 1;
        }, "seal that does not match");

    [Fact]
    public Task Another_sessions_snapshot_put_in_its_place_is_refused() =>
        RefusedAfter(row =>
        {
            var other = Backend.ReadSnapshotRows().Single(r => r.PersistenceId == AgentSessionActor.PersistenceIdOf(Other));
            Assert.True(other.SequenceNr <= row.SequenceNr);
            Backend.Execute("DELETE FROM snapshot WHERE persistence_id = @p", ("@p", TamperedId));
            Backend.Execute("INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) " +
                "SELECT @p, sequence_number, created, snapshot, manifest, serializer_id FROM snapshot WHERE persistence_id = @o",
                ("@p", TamperedId), ("@o", other.PersistenceId));
            return other.SequenceNr;
        }, "seal that does not match");

    [Fact]
    public Task A_snapshot_sealed_over_another_history_is_refused_by_its_head() =>
        RefusedAfter(row =>
        {
            // Sealed with the real key (as a snapshot of an older copy of the journal would be), but its head is not the
            // seal of the event the journal holds at its sequence number.
            var key = SnapshotSeal.DeriveKey(File.ReadAllBytes(JournalKeyFiles.JournalKeyPath(Backend.Sqlite.DataDirectory)));
            var serializerId = BinaryPrimitives.ReadInt32BigEndian(row.Payload.AsSpan(1));
            var payload = row.Payload[(1 + 4 + 2 * JournalChain.MacLength)..];
            var head = new byte[JournalChain.MacLength];
            head[0] = 1;
            var mac = SnapshotSeal.Seal(key, new SnapshotFields(TamperedId, row.SequenceNr, head, serializerId, row.Manifest, payload));
            return Update(row, [2, .. row.Payload[1..5], .. head, .. mac, .. payload]);
        }, "another history");

    [Fact]
    public async Task An_untouched_snapshot_is_used_without_a_word()
    {
        var (expected, calls, row) = await WriteAsync();
        await using var restarted = await RestartAsync();
        Assert.Equal(expected, await SessionHistory.ReadAsync(restarted.Sessions, Tampered, calls, Patience));
        Assert.Equal([row], Backend.ReadSnapshotRows().Where(r => r.PersistenceId == TamperedId));
    }

    /// <summary>Writes the sessions, tampers with the snapshot, restarts: the state is the events' and one line says why.</summary>
    private async Task RefusedAfter(Func<SnapshotRow, long> tamper, string why)
    {
        var (expected, calls, row) = await WriteAsync();
        var sequenceNr = tamper(row);

        var gate = new TaskCompletionSource();
        await using var restarted = await RestartAsync(pipeline: Pipeline with { RecoveryGate = gate.Task });
        var probe = CreateTestProbe(restarted.System);
        restarted.System.EventStream.Subscribe(probe.Ref, typeof(Warning));
        gate.SetResult();

        Assert.Equal(expected, await SessionHistory.ReadAsync(restarted.Sessions, Tampered, calls, Patience));
        var line = await LineAbout(probe);
        Output?.WriteLine(line);
        Assert.DoesNotContain('\n', line);
        Assert.Contains(Backend.Sqlite.DatabasePath, line, StringComparison.Ordinal);
        Assert.Contains($"the snapshot of {TamperedId} at event #{sequenceNr} ", line, StringComparison.Ordinal);
        Assert.Contains(why, line, StringComparison.Ordinal);
        Assert.Contains("recovered from its first event", line, StringComparison.Ordinal);
    }

    private static async Task<string> LineAbout(Akka.TestKit.TestProbe probe)
    {
        while (true)
        {
            var warning = await probe.ExpectMsgAsync<Warning>(TimeSpan.FromSeconds(30));
            if (warning.Message?.ToString() is { } text && text.Contains(TamperedId, StringComparison.Ordinal)) return text;
        }
    }

    /// <summary>The tampered session's answers before the restart, its calls, and its one snapshot row.</summary>
    private async Task<(ImmutableArray<string> Expected, ImmutableArray<CallId> Calls, SnapshotRow Row)> WriteAsync()
    {
        var sessions = await SessionsAsync();
        var calls = await SessionHistory.PlayAsync(sessions, Tampered,
            [SessionAct.Ask, SessionAct.Allow, SessionAct.Deny, SessionAct.Ask, SessionAct.Approve, SessionAct.Allow, SessionAct.Ask], Patience);
        await SessionHistory.PlayAsync(sessions, Other, [SessionAct.Allow, SessionAct.Deny, SessionAct.Allow], Patience);
        var expected = await SessionHistory.ReadAsync(sessions, Tampered, calls, Patience);
        await AwaitConditionAsync(() => Task.FromResult(SnapshotRow.Settled(Backend, Pipeline.SnapshotEvery!.Value)), Patience);
        await StopTestKitSystemAsync();
        return (expected, calls, Backend.ReadSnapshotRows().Single(r => r.PersistenceId == TamperedId));
    }

    private long Update(SnapshotRow row, byte[] payload)
    {
        Assert.Equal(1, Backend.Execute("UPDATE snapshot SET snapshot = @s WHERE persistence_id = @p AND sequence_number = @n",
            ("@s", payload), ("@p", row.PersistenceId), ("@n", row.SequenceNr)));
        return row.SequenceNr;
    }

    private static byte[] Flip(byte[] bytes, Index at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }
}
