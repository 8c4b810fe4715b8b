using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>The recovered state, the events recovery itself must persist first, and what to do next.</summary>
public sealed record RecoveryResult(CallState State, ImmutableArray<CallEvent> EventsToPersist, RecoveryAction Action);
