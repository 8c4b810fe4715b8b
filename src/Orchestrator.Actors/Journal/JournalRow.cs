namespace Orchestrator.Actors.Journal;

/// <summary>
/// One row of Akka.Persistence.Sql's journal table as its own write path fills it (default table mapping, Csv tags,
/// writer uuid column): <c>deleted</c> false, <c>created</c> the event's timestamp or the write's time in ticks,
/// <c>tags</c> the tags between separators (<c>";a;b;"</c>, empty without tags), the payload as its serializer wrote it.
/// </summary>
public sealed record JournalRow(
    string PersistenceId,
    long SequenceNr,
    long Created,
    string Tags,
    byte[] Message,
    int Identifier,
    string Manifest);
