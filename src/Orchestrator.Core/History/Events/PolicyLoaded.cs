using System.Collections.Immutable;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

[EventManifest("policy-loaded.v1")]
public sealed record PolicyLoaded(
    string Version,
    ImmutableArray<PolicySourceDigest> Sources,
    bool FailedClosed,
    DateTimeOffset LoadedAt) : HistoryEvent
{
    public static PolicyLoaded From(PolicySnapshot snapshot, DateTimeOffset at) => new(
        snapshot.Version,
        [.. snapshot.Sources.Select(s => new PolicySourceDigest(s.Layer, s.Path, s.Digest))],
        snapshot.FailedClosed,
        at);
}
