using System.Collections.Immutable;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>Persist one event (Persist, not PersistAsync), optionally tagged; answered with <see cref="Appended"/>.</summary>
public sealed record Append(object Event, ImmutableArray<string> Tags);

public sealed record Appended(string PersistenceId, long SequenceNr);

/// <summary>Persists the events as one atomic write (PersistAll); answered with <see cref="Appended"/> for the last.</summary>
public sealed record AppendAll(ImmutableArray<object> Events);

/// <summary>Persist one event with PersistAsync (later commands do not wait for it); answered with <see cref="Appended"/>.</summary>
public sealed record AppendAsync(object Event);

/// <summary>Asks for every event the actor holds (recovered plus appended since).</summary>
public sealed record GetEvents
{
    public static readonly GetEvents Instance = new();
}

public sealed record EventsSoFar(string PersistenceId, ImmutableArray<object> Events);

/// <summary>Saves <see cref="Snapshot"/> at the last sequence number through the snapshot store; answered with <see cref="SnapshotSaved"/>.</summary>
public sealed record SaveSnapshotOf(object Snapshot);

public sealed record SnapshotSaved(string PersistenceId, long SequenceNr);
