using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// What one session's recovery needs, as of one sequence number of its journal: the owner, its declared parent (absent
/// in snapshots taken before teams, and for a session without one), the recorded state of every
/// call it holds (never the in-flight work, which holds the unmasked input) and the recent outputs kept, oldest first.
/// Stored sealed by the snapshot store; recovery from it plus the later events equals recovery from every event.
/// </summary>
[EventManifest("session-snapshot.v1")]
public sealed record SessionSnapshot(AgentId? Owner, ImmutableArray<SnapshotCall> Calls, ImmutableArray<KeptOutput> Outputs,
    SessionParentDeclared? Parent = null)
{
    /// <param name="recorded">Each call's state as its journalled events fold to (calls with nothing recorded are left out).</param>
    public static SessionSnapshot Of(AgentId? owner, IEnumerable<CallState> recorded, IEnumerable<KeptOutput> outputs,
        SessionParentDeclared? parent = null) =>
        new(owner, [.. recorded.Where(s => s.Status != CallStatus.New).Select(SnapshotCall.From)], [.. outputs], parent);
}

/// <summary>The recorded output of a recent call, as its <see cref="ExecutionFinished"/> carried it.</summary>
public sealed record KeptOutput(CallId CallId, ExecutionResult Result);
