using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>A JSON value that remembers where it stood in its file, so a bad setting can be named by line and column.</summary>
public abstract record PositionedJson(SourceLocation Location)
{
    public string KindName => this switch
    {
        JsonObjectValue => "an object",
        JsonArrayValue => "an array",
        JsonStringValue => "a string",
        JsonNumberValue => "a number",
        JsonBoolValue => "a boolean",
        _ => "null",
    };

    /// <summary>
    /// Parses strict UTF-8 JSON (RFC 8259: no comments, no trailing commas, as Claude Code reads settings); throws
    /// <see cref="PolicyLoadException"/> with file:line:column. Whitespace-only input is an empty object, as in Claude Code
    /// (callers that must not accept an empty file check <see cref="IsBlank"/> first).
    /// </summary>
    public static PositionedJson Parse(ReadOnlySpan<byte> utf8, string file)
    {
        var lines = new LineIndex(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = 64,
        });
        try
        {
            if (IsBlank(utf8) || !reader.Read()) return new JsonObjectValue([], new SourceLocation(file, 1, 1));
            var value = ReadValue(ref reader, lines, file);
            if (reader.Read())
                throw new PolicyLoadException(new PolicyLoadError(lines.Locate(file, reader.TokenStartIndex), "unexpected content after the JSON value"));
            return value;
        }
        catch (JsonException e)
        {
            throw new PolicyLoadException(Describe(e, utf8, lines, file));
        }
    }

    /// <summary>True when the input holds nothing but whitespace (Claude Code reads such a file as <c>{}</c>).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    /// <summary>System.Text.Json's message, made about the file: comments and trailing commas are named as such, at the comment or comma.</summary>
    private static PolicyLoadError Describe(JsonException e, ReadOnlySpan<byte> utf8, LineIndex lines, string file)
    {
        var line = (int)(e.LineNumber ?? 0);
        var offset = lines.Offset(line, (int)(e.BytePositionInLine ?? 0));
        if (offset < utf8.Length - 1 && utf8[offset] == (byte)'/' && utf8[offset + 1] is (byte)'/' or (byte)'*')
            return new PolicyLoadError(lines.Locate(file, offset),
                "comments are not allowed: settings files are plain JSON (Claude Code skips a file with comments too)");
        if (e.Message.Contains("trailing comma", StringComparison.Ordinal))
        {
            var comma = Math.Min(offset, utf8.Length) - 1;
            while (comma > 0 && utf8[comma] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') comma--;
            var at = comma >= 0 && utf8[comma] == (byte)',' ? comma : offset;
            return new PolicyLoadError(lines.Locate(file, at),
                "trailing comma: JSON allows no ',' before '}' or ']' (Claude Code skips such a file too)");
        }
        return new PolicyLoadError(lines.Locate(file, offset), CleanMessage(e.Message));
    }

    private static PositionedJson ReadValue(ref Utf8JsonReader reader, LineIndex lines, string file)
    {
        var location = lines.Locate(file, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var members = new List<JsonMember>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var keyLocation = lines.Locate(file, reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    members.Add(new JsonMember(name, keyLocation, ReadValue(ref reader, lines, file)));
                }
                return new JsonObjectValue(members, location);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<PositionedJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines, file));
                return new JsonArrayValue(items, location);
            }
            case JsonTokenType.String:
                return new JsonStringValue(reader.GetString()!, location);
            case JsonTokenType.Number:
                return new JsonNumberValue(reader.GetDouble(), location);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new JsonBoolValue(reader.GetBoolean(), location);
            default:
                return new JsonNullValue(location);
        }
    }

    private static string CleanMessage(string message)
    {
        // System.Text.Json appends "LineNumber: n | BytePositionInLine: m." which we already report as line:column.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>Maps byte offsets to 1-based line and character column.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _lineStarts = [0];
        private readonly byte[] _bytes;

        public LineIndex(ReadOnlySpan<byte> utf8)
        {
            _bytes = utf8.ToArray();
            for (var i = 0; i < utf8.Length; i++)
                if (utf8[i] == (byte)'\n') _lineStarts.Add(i + 1);
        }

        /// <summary>The byte offset of a 0-based line and byte column, clamped to the input.</summary>
        public int Offset(int line, int byteInLine) =>
            Math.Min(_lineStarts[Math.Clamp(line, 0, _lineStarts.Count - 1)] + byteInLine, _bytes.Length);

        public SourceLocation Locate(string file, long offset)
        {
            var index = _lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var start = _lineStarts[line];
            var column = Encoding.UTF8.GetCharCount(_bytes, start, (int)offset - start) + 1;
            return new SourceLocation(file, line + 1, column);
        }
    }
}

public sealed record JsonMember(string Name, SourceLocation NameLocation, PositionedJson Value);

public sealed record JsonObjectValue(IReadOnlyList<JsonMember> Members, SourceLocation Location) : PositionedJson(Location)
{
    /// <summary>The last member with that name (JSON's usual last-wins), or null.</summary>
    public JsonMember? Find(string name)
    {
        for (var i = Members.Count - 1; i >= 0; i--)
            if (Members[i].Name == name) return Members[i];
        return null;
    }
}

public sealed record JsonArrayValue(IReadOnlyList<PositionedJson> Items, SourceLocation Location) : PositionedJson(Location);
public sealed record JsonStringValue(string Value, SourceLocation Location) : PositionedJson(Location);
public sealed record JsonNumberValue(double Value, SourceLocation Location) : PositionedJson(Location);
public sealed record JsonBoolValue(bool Value, SourceLocation Location) : PositionedJson(Location);
public sealed record JsonNullValue(SourceLocation Location) : PositionedJson(Location);
