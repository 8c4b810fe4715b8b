using System.Text;

namespace Orchestrator.Core.History;

/// <summary>
/// The one way a kept stream is shown as text: head and tail decoded as UTF-8 (invalid bytes become U+FFFD), with a
/// marker in between naming how many bytes were dropped. Used for a run as it ends and for its recorded output alike,
/// so a call's output reads the same before and after a restart.
/// </summary>
public static class OutputText
{
    public static string Of(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long totalBytes)
    {
        var omitted = totalBytes - head.Length - tail.Length;
        return omitted > 0
            ? Encoding.UTF8.GetString(head) + $"\n[… {omitted} bytes omitted …]\n" + Encoding.UTF8.GetString(tail)
            : Encoding.UTF8.GetString(head) + Encoding.UTF8.GetString(tail);
    }
}
