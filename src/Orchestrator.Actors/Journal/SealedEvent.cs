namespace Orchestrator.Actors.Journal;

/// <summary>
/// How every event is stored: the event's own serialized bytes (serializer <see cref="SerializerId"/>, manifest
/// <see cref="Manifest"/>), the seal of the event before it in its persistence id, and its own seal
/// (<see cref="Orchestrator.Core.History.Integrity.JournalChain"/>). Written by <see cref="IntegrityJournal"/>, so no
/// persistent actor can forget to seal; the event itself is read only after its seal is checked.
/// </summary>
public sealed record SealedEvent(int SerializerId, string Manifest, ReadOnlyMemory<byte> Payload, byte[] Previous, byte[] Mac)
{
    /// <summary>
    /// The whole stored row (<see cref="SealedEventSerializer"/>'s layout) when <see cref="Payload"/> is a slice of it:
    /// sealed straight into its stored form, or read from it — then it is written as it is, never copied again.
    /// </summary>
    internal byte[]? Stored { get; init; }
}
