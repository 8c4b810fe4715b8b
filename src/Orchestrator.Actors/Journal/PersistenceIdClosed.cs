namespace Orchestrator.Actors.Journal;

/// <summary>Published on the event stream when a persistence id's journal failed verification and it was closed.</summary>
public sealed record PersistenceIdClosed(string PersistenceId, string Line);
