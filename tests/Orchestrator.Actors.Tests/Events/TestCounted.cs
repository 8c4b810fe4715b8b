using Orchestrator.Core.History;

namespace Orchestrator.Actors.Tests.Events;

/// <summary>A small event for the throughput spec.</summary>
[EventManifest("test-counted.v1")]
public sealed record TestCounted(int Actor, int Index);
