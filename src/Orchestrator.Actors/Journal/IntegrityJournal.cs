using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Journal;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Akka.Persistence.Sql's journal with every event sealed on its way in and checked on its way out: each write is
/// wrapped in a <see cref="SealedEvent"/> chained to the persistence id's previous event, so no persistent actor can
/// forget; a replay verifies the whole chain from the first event and against the high-water mark, and fails — the
/// actor's recovery fails, so nothing of that persistence id runs — at the first event that breaks it, with one line
/// naming the journal and the sequence number. Unsealed rows (older journals, rows inserted by hand) are refused.
/// After a snapshot (<see cref="IntegritySnapshotStore"/>) the chain starts at the snapshot's event instead.
/// </summary>
public sealed partial class IntegrityJournal : SqlWriteJournal
{
    private readonly JournalIntegrity _integrity;
    private readonly IActorContext _context;
    /// <summary>The last sealed event of each persistence id, learnt by replay (every writer recovers first).</summary>
    private readonly ConcurrentDictionary<string, (long SequenceNr, byte[] Mac)> _heads = new(StringComparer.Ordinal);

    public IntegrityJournal(Akka.Configuration.Config journalConfig) : base(journalConfig)
    {
        _integrity = JournalIntegrity.Get(Context.System);
        _context = Context;
        _directory = CallDirectory.Get(Context.System);
        _serialization = Context.System.Serialization;
        _tagSeparator = journalConfig.GetString("tag-separator", ";");
        _ownWriter = journalConfig.GetBoolean(OwnWriterSetting, true);
        if (_ownWriter && !string.Equals(journalConfig.GetString("tag-write-mode", "Csv"), "Csv", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The journal's own writer writes tags in Csv mode only; set tag-write-mode = Csv or {OwnWriterSetting} = off.");
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        if (_integrity.DamagedLine is { } damaged) return Task.FromException<IImmutableList<Exception>>(new JournalIntegrityException(damaged));
        var writes = messages.ToList();
        var results = new Exception?[writes.Count];
        var sealedWrites = new List<AtomicWrite>(writes.Count);
        var positions = new List<int>(writes.Count);
        var heads = new List<(string Id, long SequenceNr, byte[] Mac)>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var (write, head) = Seal(writes[i]);
                sealedWrites.Add(write);
                positions.Add(i);
                heads.Add(head);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results[i] = e;
            }
        }
        if (sealedWrites.Count == 0) return Task.FromResult<IImmutableList<Exception>>(results.ToImmutableList()!);

        var written = WriteWithDirectory([.. positions.Select(i => writes[i])], sealedWrites.ToImmutableList(), cancellationToken);
        return written.ContinueWith(task =>
        {
            if (!task.IsCompletedSuccessfully)
            {
                // Nothing of this batch is known to be stored: the writers fail, recover, and learn their heads again.
                foreach (var (id, _, _) in heads) _heads.TryRemove(id, out _);
                task.GetAwaiter().GetResult();
            }
            var stored = task.Result;
            for (var j = 0; j < positions.Count; j++)
            {
                var failure = stored is null || stored.Count <= j ? null : stored[j];
                results[positions[j]] = failure;
                if (failure is null) _integrity.Marks.Advance(heads[j].Id, heads[j].SequenceNr, heads[j].Mac);
                else _heads.TryRemove(heads[j].Id, out _);
            }
            return (IImmutableList<Exception>)results.ToImmutableList()!;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private (AtomicWrite Write, (string, long, byte[]) Head) Seal(AtomicWrite write)
    {
        var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
        var id = write.PersistenceId;
        var (lastSequenceNr, previous) = _heads.TryGetValue(id, out var head) ? head : (0L, JournalChain.Genesis.ToArray());
        if (events[0].SequenceNr != lastSequenceNr + 1)
            throw new JournalIntegrityException(_integrity.Line(id, events[0].SequenceNr,
                $"cannot be sealed: the journal's last sealed event of {id} is #{lastSequenceNr}"));
        var sealedEvents = ImmutableList.CreateBuilder<IPersistentRepresentation>();
        // Indexed, not foreach: enumerating through the interface boxes an enumerator per write.
        for (var i = 0; i < events.Count; i++)
        {
            var repr = events[i];
            var (payload, tags) = repr.Payload is Tagged tagged ? (tagged.Payload, tagged.Tags) : (repr.Payload, null);
            var sealedEvent = _integrity.Seal(id, repr.SequenceNr, payload, previous);
            sealedEvents.Add(repr.WithPayload(tags is null ? sealedEvent : new Tagged(sealedEvent, tags)));
            previous = sealedEvent.Mac;
        }
        var last = events[^1].SequenceNr;
        _heads[id] = (last, previous);
        return (new AtomicWrite(sealedEvents.ToImmutable()), (id, last, previous));
    }

    /// <summary>
    /// Replays from the first event, or — when <paramref name="fromSequenceNr"/> follows a snapshot — from the snapshot's
    /// event (its own seal checked, its seal the chain's head), handing the actor only the events it asked for,
    /// unwrapped, once each is verified; then checks the end against the high-water mark.
    /// </summary>
    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr,
        long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        var start = fromSequenceNr > 1 ? fromSequenceNr - 1 : 0;
        var verifier = start == 0 ? _integrity.Verifier(persistenceId) : null;
        var delivered = 0L;
        try
        {
            await base.ReplayMessagesAsync(context, persistenceId, Math.Max(1, start), toSequenceNr, long.MaxValue, repr =>
            {
                var payload = repr.Payload is Tagged tagged ? tagged.Payload : repr.Payload;
                if (payload is not SealedEvent sealedEvent)
                    throw new JournalIntegrityException(_integrity.Line(persistenceId, repr.SequenceNr,
                        "is not sealed (written by an older Orchestrator or inserted by hand)"));
                if (verifier is null)
                {
                    verifier = StartAfterSnapshot(persistenceId, start, repr.SequenceNr, sealedEvent);
                    return;
                }
                if (verifier.Accept(JournalIntegrity.Fields(persistenceId, repr.SequenceNr, sealedEvent), sealedEvent.Mac) is { } broken)
                    throw new JournalIntegrityException(_integrity.Line(persistenceId, broken.SequenceNr, broken.Reason));
                var evt = _integrity.Open(persistenceId, repr.SequenceNr, sealedEvent);
                if (repr.SequenceNr >= fromSequenceNr && delivered < max)
                {
                    delivered++;
                    recoveryCallback(repr.WithPayload(evt));
                }
            });
        }
        catch (JournalIntegrityException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new JournalIntegrityException(_integrity.Line(persistenceId, (verifier?.LastSequenceNr ?? start - 1) + 1,
                $"cannot be read ({Innermost(e).Message})"), e);
        }
        if (verifier is null)
            throw new JournalIntegrityException(_integrity.Line(persistenceId, start,
                "is missing: the snapshot taken there has no event to start from (deleted)"));

        // AsyncWriteJournal bounds toSequenceNr by the highest stored, so a replay always ends at the stored end;
        // Orchestrator never asks for less than everything.
        if (_integrity.Marks.Current.Marks.TryGetValue(persistenceId, out var mark) && mark.SequenceNr > verifier.LastSequenceNr)
            throw new JournalIntegrityException(_integrity.Line(persistenceId, verifier.LastSequenceNr + 1,
                $"is missing: the high-water mark says {persistenceId} reached #{mark.SequenceNr} (history lost or rewound)"));
        _heads[persistenceId] = (verifier.LastSequenceNr, verifier.Head.ToArray());
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner && e is AggregateException ? Innermost(inner) : e;
}
