using System.Text;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>Rejects input no decision should be made on: empty, NUL bytes, over the size cap, broken UTF-8.</summary>
public static class InputValidator
{
    /// <summary>Null when the text is acceptable, else a one-line reason.</summary>
    public static string? Problem(string name, string? text, int maxBytes, bool allowEmpty = false)
    {
        if (text is null) return $"{name} is missing";
        if (!allowEmpty && string.IsNullOrWhiteSpace(text)) return $"{name} is empty";
        // Cheap upper bound first: UTF-8 never needs more than 3 bytes per UTF-16 char.
        if (text.Length > maxBytes || (text.Length * 3 > maxBytes && Encoding.UTF8.GetByteCount(text) > maxBytes))
            return $"{name} is larger than the {maxBytes}-byte limit";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return $"{name} contains a NUL byte at offset {i}";
            if (c == '\uFFFD') return $"{name} is not valid UTF-8 (replacement character at offset {i})";
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return $"{name} is not valid UTF-8 (lone surrogate at offset {i})";
                i++;
            }
            else if (char.IsLowSurrogate(c)) return $"{name} is not valid UTF-8 (lone surrogate at offset {i})";
        }
        return null;
    }

    /// <summary>Decodes raw bytes strictly; null and a reason when they are not UTF-8.</summary>
    public static string? DecodeStrict(ReadOnlySpan<byte> bytes, out string? problem)
    {
        var bad = Settings.Utf8Validation.FirstInvalidByte(bytes);
        if (bad >= 0)
        {
            problem = $"input is not valid UTF-8 (byte 0x{bytes[bad]:x2} at offset {bad})";
            return null;
        }
        problem = null;
        return Encoding.UTF8.GetString(bytes);
    }
}
