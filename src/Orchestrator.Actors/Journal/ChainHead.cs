namespace Orchestrator.Actors.Journal;

/// <summary>Asks <see cref="IntegrityJournal"/> for the seal of one persistence id's event (the chain's head there).</summary>
public sealed record GetChainHead(string PersistenceId, long SequenceNr);

/// <summary>The seal of the event asked for when it is stored and its own seal matches; else null.</summary>
public sealed record ChainHead(string PersistenceId, long SequenceNr, byte[]? Mac);
