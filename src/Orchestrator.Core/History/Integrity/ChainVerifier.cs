namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Follows one persistence id's events in sequence order and names the first that breaks its chain: a seal that does
/// not match (forged or edited), a sequence number out of place (inserted, deleted or reordered), or a previous seal
/// that is not the one before it (deleted or reordered). Pure; one instance per replay.
/// </summary>
public sealed class ChainVerifier
{
    private readonly byte[] _key;
    private readonly string _persistenceId;
    private ReadOnlyMemory<byte> _previous;
    private long _expected;

    /// <param name="fromSequenceNr">The first sequence number expected (1 for a whole replay).</param>
    /// <param name="previous">The seal before it (<see cref="JournalChain.Genesis"/> for a whole replay).</param>
    public ChainVerifier(byte[] key, string persistenceId, long fromSequenceNr = 1, ReadOnlyMemory<byte>? previous = null)
    {
        _key = key;
        _persistenceId = persistenceId;
        _expected = fromSequenceNr;
        _previous = previous ?? JournalChain.Genesis;
    }

    /// <summary>The last sequence number accepted (0 before any).</summary>
    public long LastSequenceNr => _expected - 1;

    /// <summary>The seal of the last event accepted, which the next event must chain to.</summary>
    public ReadOnlyMemory<byte> Head => _previous;

    /// <summary>Null when the event continues the chain (it becomes the head), else why it does not.</summary>
    public ChainBreak? Accept(SealedFields fields, ReadOnlySpan<byte> mac)
    {
        if (fields.PersistenceId != _persistenceId)
            return new ChainBreak(fields.SequenceNr, $"belongs to {fields.PersistenceId}, not {_persistenceId}");
        if (!JournalChain.IsSealOf(_key, fields, mac))
            return new ChainBreak(fields.SequenceNr, "its seal does not match (forged, edited or moved)");
        if (fields.SequenceNr != _expected)
            return new ChainBreak(fields.SequenceNr, fields.SequenceNr > _expected
                ? $"follows #{_expected - 1}: event #{_expected} is missing (deleted)"
                : $"expected #{_expected} (inserted or reordered)");
        if (!fields.Previous.Span.SequenceEqual(_previous.Span))
            return new ChainBreak(fields.SequenceNr, "it does not follow the event before it (deleted or reordered)");
        _previous = mac.ToArray();
        _expected++;
        return null;
    }
}

/// <summary>The first event at which a chain breaks, and why.</summary>
public sealed record ChainBreak(long SequenceNr, string Reason);
