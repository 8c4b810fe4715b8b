using System.Collections.Immutable;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// A policy snapshot was built for <see cref="Workspace"/> (at start, on first use, or on a settings change): the
/// options it was loaded with and every path the loader looked at with what it found there — a file's full content and
/// SHA-256, a directory's listing, nothing, or the read error — so the snapshot can be rebuilt exactly without the disk
/// (<see cref="Policy.Workspaces.WorkspacePolicy.Rebuild"/>). <see cref="Version"/> is the snapshot's version, a digest
/// of all of that: the <c>policyVersion</c> recorded with each decision names the PolicyLoaded it was judged by.
/// </summary>
[EventManifest("policy-loaded.v1")]
public sealed record PolicyLoaded(
    string Version,
    string Workspace,
    PolicyLoadSettings Settings,
    ImmutableArray<PolicyLayerSource> Sources,
    ImmutableArray<string> Errors,
    bool FailedClosed,
    DateTimeOffset LoadedAt) : HistoryEvent;
