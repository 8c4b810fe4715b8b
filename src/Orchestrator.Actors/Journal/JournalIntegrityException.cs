namespace Orchestrator.Actors.Journal;

/// <summary>A persistence id's journal cannot be trusted; its message is the one line an operator reads.</summary>
public sealed class JournalIntegrityException(string message, Exception? inner = null) : Exception(message, inner);
