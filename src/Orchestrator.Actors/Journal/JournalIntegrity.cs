using Akka.Actor;
using Akka.Serialization;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The actor system's journal key, the name of the journal for messages, and the high-water mark, shared by the write
/// journal and the read side. Configured under <see cref="ConfigPath"/> by WithOrchestratorPersistence.
/// </summary>
public sealed class JournalIntegrity : IExtension
{
    public const string ConfigPath = "akka.persistence.journal.sql.integrity";

    private readonly byte[] _key;
    private readonly byte[] _snapshotKey;
    private readonly byte[] _recordKey;
    private readonly byte[] _tallyKey;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly OrchestratorEventSerializer? _events;

    public JournalIntegrity(ExtendedActorSystem system)
    {
        var config = system.Settings.Config.GetConfig(ConfigPath);
        var keyFile = config?.GetString("key-file");
        if (string.IsNullOrEmpty(keyFile))
            throw new InvalidOperationException($"{ConfigPath}.key-file is not configured: the journal cannot seal its events.");
        _key = SecretFile.ReadOrCreate(keyFile);
        _snapshotKey = SnapshotSeal.DeriveKey(_key);
        _recordKey = DecisionRecordSeal.DeriveKey(_key);
        _tallyKey = HistoryTallySeal.DeriveKey(_key);
        JournalName = config!.GetString("journal-name", keyFile);
        var markFile = config.GetString("high-water-mark-file");
        var opened = system.Settings.Setup.Get<OpenedHighWaterMark>();
        Marks = string.IsNullOrEmpty(markFile) ? new HighWaterMarkFile(null) : new HighWaterMarkFile(markFile, opened.HasValue ? opened.Value.For(markFile) : null);
        system.RegisterOnTermination(Marks.Dispose);
        _serialization = system.Serialization;
        // Akka.NET finds serializers by id only inside Deserialize(byte[]): ours is found through an event type bound to it.
        _events = _serialization.FindSerializerForType(typeof(Orchestrator.Core.History.Events.CallReceived)) as OrchestratorEventSerializer;
        var inputKeyFile = config.GetString("input-key-file");
        InputCipher = string.IsNullOrEmpty(inputKeyFile) ? null : new InputCipher(SecretFile.ReadOrCreate(inputKeyFile));
    }

    /// <summary>Encrypts the real input of calls whose secrets are masked (key DATA/input.key); null without a data directory.</summary>
    public InputCipher? InputCipher { get; }

    public static JournalIntegrity Get(ActorSystem system) => system.WithExtension<JournalIntegrity, JournalIntegrityProvider>();

    /// <summary>What operators are told the journal is (the SQLite file or the PostgreSQL schema).</summary>
    public string JournalName { get; }

    public HighWaterMarkFile Marks { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _closed = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="persistenceId"/> failed verification (until the process ends).</summary>
    public void Close(string persistenceId, string line) => _closed[persistenceId] = line;

    private volatile string? _damaged;

    /// <summary>Why the journal's file is damaged (its integrity check failed), or null: then nothing more is written to it.</summary>
    public string? DamagedLine => _damaged;

    public void MarkDamaged(string line) => _damaged ??= line;

    /// <summary>Why <paramref name="persistenceId"/> is closed, or null when it is not.</summary>
    public string? ClosedLine(string persistenceId) => _closed.GetValueOrDefault(persistenceId);

    /// <summary>
    /// Serializes <paramref name="payload"/> with its own serializer and seals it after <paramref name="previous"/>,
    /// straight into the row the journal stores (our events through a buffer the thread reuses: one copy of their bytes).
    /// </summary>
    public SealedEvent Seal(string persistenceId, long sequenceNr, object payload, byte[] previous)
    {
        var serializer = _serialization.FindSerializerFor(payload);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, payload);
        var row = serializer is OrchestratorEventSerializer events
            ? SealedEventSerializer.Unsealed(serializer.Identifier, previous, events.ToThreadBuffer(payload))
            : SealedEventSerializer.Unsealed(serializer.Identifier, previous, serializer.ToBinary(payload));
        var mac = JournalChain.Seal(_key, new SealedFields(persistenceId, sequenceNr, serializer.Identifier, manifest, SealedEventSerializer.PayloadIn(row), previous));
        return SealedEventSerializer.Sealed(row, serializer.Identifier, manifest, previous, mac);
    }

    /// <summary>The event in <paramref name="payload"/> (serializer <paramref name="serializerId"/>), read in place when it is one of ours.</summary>
    public object Deserialize(ReadOnlyMemory<byte> payload, int serializerId, string manifest) =>
        serializerId == OrchestratorEventSerializer.SerializerId && _events is { } events
            ? events.FromBinary(payload.Span, manifest)
            : _serialization.Deserialize(payload.ToArray(), serializerId, manifest);

    public ChainVerifier Verifier(string persistenceId) => new(_key, persistenceId);

    /// <summary>A verifier of the chain from <paramref name="fromSequenceNr"/> on, whose event must follow <paramref name="previous"/>.</summary>
    public ChainVerifier Verifier(string persistenceId, long fromSequenceNr, ReadOnlyMemory<byte> previous) =>
        new(_key, persistenceId, fromSequenceNr, previous);

    /// <summary>Whether the event's own seal matches (it may still sit in the wrong place: only a chain tells).</summary>
    public bool IsAuthentic(string persistenceId, long sequenceNr, SealedEvent e) =>
        JournalChain.IsSealOf(_key, Fields(persistenceId, sequenceNr, e), e.Mac);

    public static SealedFields Fields(string persistenceId, long sequenceNr, SealedEvent e) =>
        new(persistenceId, sequenceNr, e.SerializerId, e.Manifest, e.Payload, e.Previous);

    /// <summary>The event inside a checked seal.</summary>
    /// <exception cref="JournalIntegrityException">Its bytes cannot be read as the event its manifest names.</exception>
    public object Open(string persistenceId, long sequenceNr, SealedEvent e)
    {
        try
        {
            return Deserialize(e.Payload, e.SerializerId, e.Manifest);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new JournalIntegrityException(Line(persistenceId, sequenceNr, $"cannot be read ({ex.Message})"), ex);
        }
    }

    /// <summary>The event in a journal row read directly (not through the read journal), once its own seal is checked.</summary>
    /// <exception cref="JournalIntegrityException">The row is not sealed, its seal does not match, or it cannot be read.</exception>
    public object OpenStored(string persistenceId, long sequenceNr, StoredEvent stored)
    {
        object row;
        try
        {
            row = _serialization.Deserialize(stored.Message, stored.SerializerId, stored.Manifest);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new JournalIntegrityException(Line(persistenceId, sequenceNr, $"cannot be read ({ex.Message})"), ex);
        }
        return OpenAuthentic(persistenceId, sequenceNr, SealedOf(persistenceId, sequenceNr, row));
    }

    /// <summary>The row as its sealed form; a row that is not one was written by an older Orchestrator or by hand.</summary>
    public SealedEvent SealedOf(string persistenceId, long sequenceNr, object? row) => row as SealedEvent
        ?? throw new JournalIntegrityException(Line(persistenceId, sequenceNr, "is not sealed (written by an older Orchestrator or inserted by hand)"));

    /// <summary>The event inside <paramref name="e"/> once its own seal is checked (its place in a chain is not).</summary>
    public object OpenAuthentic(string persistenceId, long sequenceNr, SealedEvent e) =>
        IsAuthentic(persistenceId, sequenceNr, e)
            ? Open(persistenceId, sequenceNr, e)
            : throw new JournalIntegrityException(Line(persistenceId, sequenceNr, "its seal does not match (forged, edited or moved)"));

    /// <summary>The history read model's compact form of <paramref name="record"/>, sealed to <paramref name="place"/>.</summary>
    public byte[] SealDecisionRecord(DecisionRecordPlace place, DecisionRecord record) => DecisionRecordSeal.Seal(_recordKey, place, record);

    /// <summary>The decision record the model stores at <paramref name="place"/>, once its seal is checked.</summary>
    /// <exception cref="JournalIntegrityException">It is missing, its seal does not match, or it cannot be read.</exception>
    public DecisionRecord OpenDecisionRecord(DecisionRecordPlace place, byte[]? stored)
    {
        var refusal = "is missing";
        var record = stored is null ? null : DecisionRecordSeal.Open(_recordKey, place, stored, out refusal);
        if (record is not null && record.CallId.Value == place.CallId) return record;
        if (record is not null) refusal = "is another call's";
        throw new JournalIntegrityException(
            ModelLine($"holds a decision record of call {place.CallId} ({place.PersistenceId} event #{place.DecidedSequenceNr}) that {refusal}"));
    }

    /// <summary>The counts a batch of the history read model moved, and its new mark, each sealed.</summary>
    internal SealedCounts SealCounts(IReadOnlyList<HistoryTally> tallies, HistoryMark mark) =>
        new([.. tallies.Select(t => new SealedTally(t, HistoryTallySeal.Seal(_tallyKey, t)))], mark, HistoryTallySeal.Seal(_tallyKey, mark));

    /// <summary>A check that a read of the model's decision records in [from, to) (of <paramref name="agent"/>) lost none.</summary>
    public DecisionCountCheck CountCheck(DateTimeOffset? from, DateTimeOffset? to, string? agent) => new(_tallyKey, from, to, agent);

    /// <summary>The one line saying how the history read model's counts refused a read (<paramref name="what"/> reads after "the model …"), and the way out.</summary>
    public string ModelLine(string what) =>
        $"journal {JournalName}: the history read model ({CallDirectoryStore.HistoryTableName}) {what}; the model was edited or damaged " +
        "(the journal is not): drop the table and restart to rebuild it from the journal";

    /// <summary>Serializes <paramref name="snapshot"/> with its own serializer and seals it with the journal's head at <paramref name="sequenceNr"/>.</summary>
    public SealedSnapshot SealSnapshot(string persistenceId, long sequenceNr, object snapshot, byte[] head)
    {
        var serializer = _serialization.FindSerializerFor(snapshot);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, snapshot);
        var bytes = serializer.ToBinary(snapshot);
        var mac = SnapshotSeal.Seal(_snapshotKey, new SnapshotFields(persistenceId, sequenceNr, head, serializer.Identifier, manifest, bytes));
        return new SealedSnapshot(serializer.Identifier, manifest, bytes, head, mac);
    }

    /// <summary>
    /// The snapshot inside <paramref name="s"/> when its seal matches and its head is <paramref name="journalHead"/>
    /// (the seal of the journal's event at <paramref name="sequenceNr"/>, null when there is none); else null and why not.
    /// </summary>
    public object? OpenSnapshot(string persistenceId, long sequenceNr, SealedSnapshot s, byte[]? journalHead, out string refusal)
    {
        refusal = "";
        if (!SnapshotSeal.IsSealOf(_snapshotKey, new SnapshotFields(persistenceId, sequenceNr, s.Head, s.SerializerId, s.Manifest, s.Payload), s.Mac))
            refusal = "has a seal that does not match (forged, edited or moved)";
        else if (journalHead is null)
            refusal = $"has no sealed event #{sequenceNr} in the journal to start from";
        else if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(s.Head, journalHead))
            refusal = $"was taken on another history (its head is not the seal of event #{sequenceNr})";
        if (refusal.Length > 0) return null;
        try
        {
            return _serialization.Deserialize(s.Payload, s.SerializerId, s.Manifest);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            refusal = $"cannot be read ({ex.Message})";
            return null;
        }
    }

    /// <summary>The one line naming the journal, the persistence id and the sequence number of a snapshot that is not used.</summary>
    public string SnapshotLine(string persistenceId, long sequenceNr, string what) =>
        $"journal {JournalName}: the snapshot of {persistenceId} at event #{sequenceNr} {what}; it is not used and {persistenceId} is recovered from its first event";

    /// <summary>The one line naming the journal, the persistence id and the sequence number, and the way out.</summary>
    public string Line(string persistenceId, long sequenceNr, string what) =>
        $"journal {JournalName}: {persistenceId} event #{sequenceNr} {what}; {persistenceId} is closed and nothing in it runs " +
        "(restore the data directory from a backup to reopen it)";

    private sealed class JournalIntegrityProvider : ExtensionIdProvider<JournalIntegrity>
    {
        public override JournalIntegrity CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
