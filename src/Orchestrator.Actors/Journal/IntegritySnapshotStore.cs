using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Akka.Persistence.Sql's snapshot store with every snapshot sealed on its way in and checked on its way out: stored
/// as a <see cref="SealedSnapshot"/> carrying the journal chain's head at its sequence number (the seal of that event,
/// asked of <see cref="IntegrityJournal"/>) and its own seal. A snapshot whose seal does not match (forged, edited,
/// moved to another persistence id or sequence number) or whose head is not the journal's event there (stale or from
/// another history) is not used: one line names the journal, the persistence id and the sequence number, and the actor
/// recovers from its first event — the events stay the truth, and a snapshot can never change the state they give.
/// </summary>
public sealed class IntegritySnapshotStore : SqlSnapshotStore
{
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    private readonly JournalIntegrity _integrity;
    private readonly IActorRef _journal;
    private readonly ILoggingAdapter _log;

    public IntegritySnapshotStore(Akka.Configuration.Config snapshotConfig) : base(snapshotConfig)
    {
        _integrity = JournalIntegrity.Get(Context.System);
        _journal = Persistence.Instance.Apply(Context.System).JournalFor(null);
        _log = Context.GetLogger();
    }

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        var head = await HeadAt(metadata.PersistenceId, metadata.SequenceNr, cancellationToken)
            ?? throw new InvalidOperationException(_integrity.SnapshotLine(metadata.PersistenceId, metadata.SequenceNr,
                $"cannot be sealed: the journal holds no sealed event #{metadata.SequenceNr}"));
        await base.SaveAsync(metadata, _integrity.SealSnapshot(metadata.PersistenceId, metadata.SequenceNr, snapshot, head), cancellationToken);
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        SelectedSnapshot? stored;
        try
        {
            stored = await base.LoadAsync(persistenceId, criteria, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Warning("journal {0}: the latest snapshot of {1} cannot be read ({2}); it is not used and {1} is recovered from its first event",
                _integrity.JournalName, persistenceId, e.GetBaseException().Message);
            return null;
        }
        if (stored is null) return null;
        var at = stored.Metadata.SequenceNr;
        string refusal;
        object? snapshot = null;
        if (stored.Snapshot is not SealedSnapshot sealedSnapshot)
            refusal = "is not sealed (written by an older Orchestrator or inserted by hand)";
        else
            snapshot = _integrity.OpenSnapshot(persistenceId, at, sealedSnapshot, await HeadAt(persistenceId, at, cancellationToken), out refusal);
        if (snapshot is not null) return new SelectedSnapshot(stored.Metadata, snapshot);
        _log.Warning(_integrity.SnapshotLine(persistenceId, at, refusal));
        return null;
    }

    /// <summary>The seal of the journal's event at <paramref name="sequenceNr"/>, or null when it is missing or not authentic.</summary>
    private async Task<byte[]?> HeadAt(string persistenceId, long sequenceNr, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _journal.Ask<ChainHead>(new GetChainHead(persistenceId, sequenceNr), HeadTimeout, cancellationToken);
            return answer.Mac;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            _log.Warning("journal {0}: the seal of {1} event #{2} cannot be read ({3})", _integrity.JournalName, persistenceId, sequenceNr,
                e.GetBaseException().Message);
            return null;
        }
    }
}
