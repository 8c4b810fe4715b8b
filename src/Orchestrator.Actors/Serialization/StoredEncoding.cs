using System.Text.Json;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// A stored form of one event type other than its <see cref="EventJsonOptions"/> JSON, under a manifest of its own:
/// new rows of <see cref="EventType"/> are written in it; rows under the type's [EventManifest] stay readable as before.
/// The event's C# record and what consumes it do not change (an encoding concern of the journal only).
/// </summary>
public abstract class StoredEncoding
{
    public abstract Type EventType { get; }

    /// <summary>The manifest rows in this encoding are stored under (never an [EventManifest] of any type).</summary>
    public abstract string Manifest { get; }

    public abstract void Write(Utf8JsonWriter writer, object evt);

    /// <exception cref="JsonException">The bytes are not this encoding of an event (unknown or missing members included).</exception>
    public abstract object Read(ReadOnlySpan<byte> bytes);
}

/// <summary>The stored encodings in use: by event type (to write) and by manifest (to read).</summary>
public static class StoredEncodings
{
    private static readonly StoredEncoding[] All = [CallReceivedAndDecidedV2.Instance];

    public static IReadOnlyList<StoredEncoding> Each => All;

    public static StoredEncoding? ForType(Type type)
    {
        foreach (var encoding in All)
            if (encoding.EventType == type) return encoding;
        return null;
    }

    public static StoredEncoding? ForManifest(string manifest)
    {
        foreach (var encoding in All)
            if (string.Equals(encoding.Manifest, manifest, StringComparison.Ordinal)) return encoding;
        return null;
    }

    /// <summary>Every manifest rows of <paramref name="eventType"/> may be stored under: its [EventManifest] and its encodings'.</summary>
    public static IEnumerable<string> ManifestsOf(Type eventType, string declaredManifest)
    {
        yield return declaredManifest;
        foreach (var encoding in All)
            if (encoding.EventType == eventType) yield return encoding.Manifest;
    }
}
