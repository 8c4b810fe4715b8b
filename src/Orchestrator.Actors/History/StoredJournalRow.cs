using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.History;

/// <summary>A journal row as read, before its seal is checked: its global position, whose event it is, and the event as stored.</summary>
public readonly record struct StoredJournalRow(long Position, string PersistenceId, long SequenceNr, StoredEvent Stored);
