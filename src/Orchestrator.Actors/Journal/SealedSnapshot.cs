namespace Orchestrator.Actors.Journal;

/// <summary>
/// How every snapshot is stored: the snapshot's own serialized bytes (serializer <see cref="SerializerId"/>, manifest
/// <see cref="Manifest"/>), the seal of the journal event at the snapshot's sequence number (<see cref="Head"/>) and its
/// own seal (<see cref="Orchestrator.Core.History.Integrity.SnapshotSeal"/>). Written and checked by
/// <see cref="IntegritySnapshotStore"/>; the snapshot itself is read only after both are checked.
/// </summary>
public sealed record SealedSnapshot(int SerializerId, string Manifest, byte[] Payload, byte[] Head, byte[] Mac);
