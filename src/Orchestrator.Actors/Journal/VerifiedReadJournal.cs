using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The query side of the sealed journal. Events of one persistence id are verified as a chain from its first event (a
/// break fails the stream with the one line); events by tag or of all ids are each checked against their own seal,
/// and one that fails is left out and logged, so a forged row never reaches a reader and one bad row does not blind
/// every reader.
/// </summary>
public sealed class VerifiedReadJournal(SqlReadJournal journal, ActorSystem system)
{
    private readonly JournalIntegrity _integrity = JournalIntegrity.Get(system);
    private readonly ILoggingAdapter _log = Logging.GetLogger(system, typeof(VerifiedReadJournal));

    public Source<string, NotUsed> CurrentPersistenceIds() => journal.CurrentPersistenceIds();

    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        journal.CurrentEventsByPersistenceId(persistenceId, 0, toSequenceNr).StatefulSelectMany<EventEnvelope, EventEnvelope, NotUsed>(() =>
        {
            var verifier = _integrity.Verifier(persistenceId);
            return IEnumerable<EventEnvelope> (EventEnvelope envelope) =>
            {
                var sealedEvent = SealedOf(envelope);
                if (verifier.Accept(JournalIntegrity.Fields(persistenceId, envelope.SequenceNr, sealedEvent), sealedEvent.Mac) is { } broken)
                    throw new JournalIntegrityException(_integrity.Line(persistenceId, broken.SequenceNr, broken.Reason));
                return envelope.SequenceNr >= fromSequenceNr ? [Opened(envelope, sealedEvent)] : [];
            };
        });

    /// <summary>
    /// Events <paramref name="fromSequenceNr"/>..<paramref name="toSequenceNr"/> of one persistence id without reading
    /// those before (one call's range): each must carry its own seal and follow the one before it inside the range, so
    /// an event forged, edited, moved, deleted or inserted there fails the stream with the one line.
    /// </summary>
    public Source<EventEnvelope, NotUsed> CurrentEventsInRange(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        journal.CurrentEventsByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr).StatefulSelectMany<EventEnvelope, EventEnvelope, NotUsed>(() =>
        {
            Core.History.Integrity.ChainVerifier? verifier = null;
            return IEnumerable<EventEnvelope> (EventEnvelope envelope) =>
            {
                var sealedEvent = SealedOf(envelope);
                // The first event's own seal vouches for the link it names; every later one must follow it.
                verifier ??= _integrity.Verifier(persistenceId, fromSequenceNr, sealedEvent.Previous);
                if (verifier.Accept(JournalIntegrity.Fields(persistenceId, envelope.SequenceNr, sealedEvent), sealedEvent.Mac) is { } broken)
                    throw new JournalIntegrityException(_integrity.Line(persistenceId, broken.SequenceNr, broken.Reason));
                return [Opened(envelope, sealedEvent)];
            };
        });

    public Source<EventEnvelope, NotUsed> CurrentEventsByTag(string tag, Offset offset) =>
        journal.CurrentEventsByTag(tag, offset).SelectMany(Checked);

    public Source<EventEnvelope, NotUsed> EventsByTag(string tag, Offset offset) =>
        journal.EventsByTag(tag, offset).SelectMany(Checked);

    public Source<EventEnvelope, NotUsed> CurrentAllEvents(Offset offset) =>
        journal.CurrentAllEvents(offset).SelectMany(Checked);

    private IEnumerable<EventEnvelope> Checked(EventEnvelope envelope)
    {
        try
        {
            var opened = _integrity.OpenAuthentic(envelope.PersistenceId, envelope.SequenceNr, SealedOf(envelope));
            return [WithEvent(envelope, opened)];
        }
        catch (JournalIntegrityException e)
        {
            _log.Error(e.Message);
            return [];
        }
    }

    private SealedEvent SealedOf(EventEnvelope envelope) => _integrity.SealedOf(envelope.PersistenceId, envelope.SequenceNr, envelope.Event);

    private EventEnvelope Opened(EventEnvelope envelope, SealedEvent sealedEvent) =>
        WithEvent(envelope, _integrity.Open(envelope.PersistenceId, envelope.SequenceNr, sealedEvent));

    private static EventEnvelope WithEvent(EventEnvelope envelope, object evt) =>
        new(envelope.Offset, envelope.PersistenceId, envelope.SequenceNr, evt, envelope.Timestamp, envelope.Tags);
}
