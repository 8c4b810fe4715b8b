namespace Orchestrator.Core.History.Events;

/// <summary>
/// Every event in the decision history. Concrete events are sealed records carrying an
/// <see cref="EventManifestAttribute"/>; they hold only JSON-friendly values so the journal serializer can store them
/// under their manifest name.
/// </summary>
public abstract record HistoryEvent;
