using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Replay after a snapshot starts the chain at the snapshot's event, and the snapshot store asks the journal for the
/// seal of the event a snapshot is taken at (<see cref="GetChainHead"/>), both to seal it and to check it on loading.
/// </summary>
public sealed partial class IntegrityJournal
{
    /// <summary>The snapshot's event opens the chain: it must be stored where the snapshot says, under its own seal.</summary>
    private ChainVerifier StartAfterSnapshot(string persistenceId, long snapshotSequenceNr, long sequenceNr, SealedEvent sealedEvent)
    {
        if (sequenceNr != snapshotSequenceNr)
            throw new JournalIntegrityException(_integrity.Line(persistenceId, snapshotSequenceNr,
                "is missing: the snapshot taken there has no event to start from (deleted)"));
        if (!_integrity.IsAuthentic(persistenceId, sequenceNr, sealedEvent))
            throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr, "its seal does not match (forged, edited or moved)"));
        return _integrity.Verifier(persistenceId, sequenceNr + 1, sealedEvent.Mac);
    }

    /// <summary>
    /// Akka asks for the highest sequence number from a snapshot's and replays nothing when no event follows it: the
    /// replay from the snapshot's event is run here then, so its seal, the high-water mark and the head are checked
    /// and learnt all the same.
    /// </summary>
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await WritesOf(persistenceId);
        var highest = await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        if (fromSequenceNr > 0 && highest <= fromSequenceNr)
            await ReplayMessagesAsync(_context, persistenceId, fromSequenceNr + 1, fromSequenceNr, 0, static _ => { });
        return highest;
    }

    protected override bool ReceivePluginInternal(object message)
    {
        if (message is not GetChainHead query) return ReceiveRowsWritten(message) || base.ReceivePluginInternal(message);
        HeadAt(_context, query).PipeTo(Sender);
        return true;
    }

    private async Task<ChainHead> HeadAt(IActorContext context, GetChainHead query)
    {
        byte[]? mac = null;
        await base.ReplayMessagesAsync(context, query.PersistenceId, query.SequenceNr, query.SequenceNr, 1, repr =>
        {
            if ((repr.Payload is Tagged tagged ? tagged.Payload : repr.Payload) is SealedEvent sealedEvent &&
                repr.SequenceNr == query.SequenceNr && _integrity.IsAuthentic(query.PersistenceId, repr.SequenceNr, sealedEvent))
                mac = sealedEvent.Mac;
        });
        return new ChainHead(query.PersistenceId, query.SequenceNr, mac);
    }
}
