using System.Text;
using CsCheck;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Tests.History.Integrity;

public class SnapshotSealTests
{
    private static readonly byte[] JournalKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = SnapshotSeal.DeriveKey(JournalKey);
    private static readonly byte[] Head = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    private static SnapshotFields Fields(string id = "session-s", long at = 1000, byte[]? head = null, int serializer = 4201,
        string manifest = "session-snapshot.v1", string payload = "{\"owner\":\"agent-1\"}") =>
        new(id, at, head ?? Head, serializer, manifest, Encoding.UTF8.GetBytes(payload));

    [Fact]
    public void A_sealed_snapshot_verifies_under_the_derived_key_only()
    {
        var mac = SnapshotSeal.Seal(Key, Fields());

        Assert.True(SnapshotSeal.IsSealOf(Key, Fields(), mac));
        Assert.False(SnapshotSeal.IsSealOf(JournalKey, Fields(), mac));
        Assert.NotEqual(JournalKey, Key);
    }

    [Fact]
    public void Changing_any_sealed_field_breaks_the_seal() =>
        Gen.Int[0, 5].Sample(field =>
        {
            var mac = SnapshotSeal.Seal(Key, Fields());
            var changed = field switch
            {
                0 => Fields(id: "session-t"),
                1 => Fields(at: 999),
                2 => Fields(head: [.. Head[..^1], (byte)(Head[^1] ^ 1)]),
                3 => Fields(serializer: 4202),
                4 => Fields(manifest: "session-snapshot.v2"),
                _ => Fields(payload: "{\"owner\":\"agent-2\"}"),
            };
            Assert.False(SnapshotSeal.IsSealOf(Key, changed, mac));
        });

    [Fact]
    public void A_snapshot_seal_is_never_an_event_seal_over_the_same_bytes()
    {
        var fields = Fields();
        var asEvent = new SealedFields(fields.PersistenceId, fields.SequenceNr, fields.SerializerId, fields.Manifest, fields.Payload, fields.Head);

        Assert.NotEqual(JournalChain.Seal(JournalKey, asEvent), SnapshotSeal.Seal(Key, fields));
        Assert.False(JournalChain.IsSealOf(JournalKey, asEvent, SnapshotSeal.Seal(Key, fields)));
        Assert.False(SnapshotSeal.IsSealOf(Key, fields, JournalChain.Seal(JournalKey, asEvent)));
    }
}
