namespace Orchestrator.Actors.Storage;

/// <summary>The data directory or journal cannot be opened safely; the message is the one line an operator reads.</summary>
public sealed class StartupRefusedException(string message, Exception? inner = null) : Exception(message, inner);
