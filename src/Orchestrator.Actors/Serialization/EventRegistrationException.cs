namespace Orchestrator.Actors.Serialization;

/// <summary>
/// The event types cannot be registered as they are (two types share a manifest, a manifest is blank, an open
/// generic or abstract type carries one). Thrown at startup, before any event is written or read.
/// </summary>
public sealed class EventRegistrationException(string message) : Exception(message);
