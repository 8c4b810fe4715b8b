namespace Orchestrator.Actors.Tests.Support;

/// <summary>One row of the journal table as stored on disk.</summary>
public sealed record JournalRow(string PersistenceId, long SequenceNr, string Manifest, int SerializerId, string? Tags, byte[] Payload);
