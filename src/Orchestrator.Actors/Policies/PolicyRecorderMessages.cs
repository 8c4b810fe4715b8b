using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Policies;

/// <summary>Records a loaded policy; answered with <see cref="PolicyRecorded"/> once it is durable.</summary>
public sealed record RecordPolicy(PolicyLoaded Loaded);

/// <summary>The policy <paramref name="Version"/> of <paramref name="Workspace"/> is in the journal.</summary>
public sealed record PolicyRecorded(string Workspace, string Version);
