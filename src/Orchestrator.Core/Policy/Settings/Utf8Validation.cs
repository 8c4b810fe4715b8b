using System.Text;

namespace Orchestrator.Core.Policy.Settings;

internal static class Utf8Validation
{
    /// <summary>Offset of the first byte that is not valid UTF-8, or -1.</summary>
    public static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return -1;
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return -1;
    }

    public static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
            if (bytes[i] == (byte)'\n') { line++; lineStart = i + 1; }
        return (line, offset - lineStart + 1);
    }
}
