using System.Collections.Immutable;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Tests.Events;

[EventManifest("test-thing-renamed.v1")]
public sealed record TestThingRenamed(string From, string To, ImmutableList<string>? Aliases);
