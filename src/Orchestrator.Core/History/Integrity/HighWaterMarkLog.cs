using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// The advances of a <see cref="HighWaterMark"/> since its file was last written whole: one JSON line per advance
/// (<c>{"id":…,"sequenceNr":…,"head":…}</c>), appended, so keeping the mark current costs what changed and not every
/// session ever seen. Read on top of the mark, the furthest advance per persistence id wins. A last line without its
/// newline is an append cut short by a crash and is left out (the mark lags by that flush, as a mark always may);
/// any whole line that is not an advance makes the log unreadable.
/// </summary>
public static class HighWaterMarkLog
{
    /// <summary>Writes one line per advance to <paramref name="output"/>.</summary>
    public static void Append(IBufferWriter<byte> output, IEnumerable<KeyValuePair<string, (long SequenceNr, byte[] Head)>> advances)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        foreach (var (id, (sequenceNr, head)) in advances)
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("sequenceNr", sequenceNr);
            json.WriteString("head", Convert.ToHexStringLower(head));
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            output.Write("\n"u8);
        }
    }

    /// <summary>The mark with every whole line of <paramref name="log"/> applied.</summary>
    /// <exception cref="FormatException">A whole line is not an advance.</exception>
    public static HighWaterMark ApplyTo(HighWaterMark mark, ReadOnlySpan<byte> log)
    {
        var advances = new Dictionary<string, (long SequenceNr, byte[] Head)>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (log.IndexOf((byte)'\n') is var end and >= 0)
        {
            lineNumber++;
            var (id, sequenceNr, head) = Read(log[..end], lineNumber);
            if (!advances.TryGetValue(id, out var known) || known.SequenceNr < sequenceNr) advances[id] = (sequenceNr, head);
            log = log[(end + 1)..];
        }
        return mark.WithAll(advances);
    }

    private static (string Id, long SequenceNr, byte[] Head) Read(ReadOnlySpan<byte> line, int lineNumber)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            string? id = null, head = null;
            long? sequenceNr = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read()) break;
                switch (name)
                {
                    case "id" when id is null: id = reader.GetString(); break;
                    case "sequenceNr" when sequenceNr is null: sequenceNr = reader.GetInt64(); break;
                    case "head" when head is null: head = reader.GetString(); break;
                    default: throw new JsonException($"unexpected member '{name}'");
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) throw new JsonException("not one object");
            if (string.IsNullOrEmpty(id) || sequenceNr is not > 0 || head is null) throw new JsonException("id, sequenceNr and head are required");
            return (id, sequenceNr.Value, Convert.FromHexString(head));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"line {lineNumber} of the high-water mark's log is not an advance ({e.Message}): {Encoding.UTF8.GetString(line[..Math.Min(line.Length, 120)])}", e);
        }
    }
}
