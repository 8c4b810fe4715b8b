using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>An event in the life of one call; the call actor's journal holds only these.</summary>
public abstract record CallEvent(CallId CallId) : HistoryEvent;
