using System.Collections.Concurrent;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The policies that judge calls right now, shared by the <see cref="PolicyActor"/> (the only writer) with the
/// sessions: a workspace is here only while its current policy is recorded in the journal, so a session may evaluate
/// a call itself (evaluation is pure and fast) instead of a round trip through the policy actor. A workspace not here
/// (not loaded yet, being reloaded, not yet recorded) is judged through the actor, which loads, records and waits.
/// </summary>
public sealed class JudgingPolicies(string defaultWorkspace)
{
    private readonly ConcurrentDictionary<string, WorkspacePolicy> _ready = new(StringComparer.Ordinal);

    /// <summary>The recorded, current policy of <paramref name="workspace"/> (the default workspace when null), if any.</summary>
    public WorkspacePolicy? For(string? workspace) => _ready.TryGetValue(workspace ?? defaultWorkspace, out var policy) ? policy : null;

    internal void Judges(WorkspacePolicy policy) => _ready[policy.Workspace] = policy;

    internal void Withdraw(string workspace) => _ready.TryRemove(workspace, out _);
}
