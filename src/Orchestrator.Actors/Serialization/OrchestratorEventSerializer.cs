using System.Buffers;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// Serializes Orchestrator's history events as System.Text.Json (<see cref="EventJsonOptions"/>) under the stable
/// manifest each type declares with [EventManifest] — never a CLR type name, so types can be renamed and moved — or,
/// for a type with a <see cref="StoredEncoding"/>, in that encoding under its manifest (both manifests stay readable).
/// Registered and bound per event type by <c>WithOrchestratorSerialization</c>.
/// </summary>
public sealed class OrchestratorEventSerializer : SerializerWithStringManifest
{
    /// <summary>
    /// The serializer identifier stored in every journal row written by this serializer. Fixed forever: changing it
    /// makes existing journals unreadable. Akka reserves 0–100 for itself.
    /// </summary>
    public const int SerializerId = 4201;

    /// <summary>The name the serializer is registered under in the actor system.</summary>
    public const string SerializerName = "orchestrator-events";

    private readonly EventTypeRegistry _registry;

    public OrchestratorEventSerializer(ExtendedActorSystem system, EventTypeRegistry registry) : base(system)
    {
        _registry = registry;
    }

    public override int Identifier => SerializerId;

    public EventTypeRegistry Registry => _registry;

    public override string Manifest(object o)
    {
        var type = o.GetType();
        var declared = _registry.ManifestFor(type);
        return StoredEncodings.ForType(type)?.Manifest ?? declared;
    }

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        _registry.ManifestFor(type); // rejects unregistered types with a clear message
        if (StoredEncodings.ForType(type) is not { } encoding) return JsonSerializer.SerializeToUtf8Bytes(obj, type, EventJsonOptions.Default);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) encoding.Write(writer, obj);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <see cref="ToBinary"/>'s bytes, written into a buffer this thread reuses: valid only until this thread's next call
    /// (the journal copies them once into the stored row).
    /// </summary>
    public ReadOnlySpan<byte> ToThreadBuffer(object obj)
    {
        var type = obj.GetType();
        _registry.ManifestFor(type); // rejects unregistered types with a clear message
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        if (buffer.Capacity > MaxKeptBuffer) t_buffer = buffer = new ArrayBufferWriter<byte>(4096);
        else buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        if (StoredEncodings.ForType(type) is { } encoding) encoding.Write(writer, obj);
        else JsonSerializer.Serialize(writer, obj, type, EventJsonOptions.Default);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>What SerializeToUtf8Bytes writes with under <see cref="EventJsonOptions.Default"/> (the bytes must not differ).</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = EventJsonOptions.Default.Encoder,
        Indented = EventJsonOptions.Default.WriteIndented,
        MaxDepth = EventJsonOptions.Default.MaxDepth,
        SkipValidation = true,
    };

    /// <summary>A thread's buffer grown past this by one large event (a run's output) is dropped rather than kept.</summary>
    private const int MaxKeptBuffer = 256 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public override object FromBinary(byte[] bytes, string manifest) => FromBinary(bytes.AsSpan(), manifest);

    /// <summary><see cref="FromBinary(byte[], string)"/> over bytes that are part of a larger buffer (a sealed row), without copying them out.</summary>
    public object FromBinary(ReadOnlySpan<byte> bytes, string manifest)
    {
        var encoding = StoredEncodings.ForManifest(manifest);
        var type = encoding is null ? _registry.TypeFor(manifest) : encoding.EventType;
        try
        {
            return encoding?.Read(bytes)
                ?? JsonSerializer.Deserialize(bytes, type, EventJsonOptions.Default)
                ?? throw new SerializationException($"Event \"{manifest}\" is stored as JSON null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Event \"{manifest}\" cannot be read as {type.FullName}: {e.Message}", e);
        }
    }
}
