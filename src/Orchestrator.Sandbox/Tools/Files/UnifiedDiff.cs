using System.Text;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// A unified diff of two texts as one hunk: the lines between the common head and the common tail, with three lines of
/// context, cut at a byte cap (at a line boundary, marked). One hunk is exact for a single change and still a correct
/// diff for several (it spans them), which is what the history needs to show what changed.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static (string Diff, bool Truncated) Of(string? before, string after, string path, int maxBytes)
    {
        var old = Lines(before ?? "");
        var @new = Lines(after);
        var head = 0;
        while (head < old.Count && head < @new.Count && old[head] == @new[head]) head++;
        var tail = 0;
        while (tail < old.Count - head && tail < @new.Count - head && old[^(tail + 1)] == @new[^(tail + 1)]) tail++;
        if (head == old.Count && head == @new.Count) return ("", false);

        var start = Math.Max(0, head - Context);
        var oldEnd = Math.Min(old.Count, old.Count - tail + Context);
        var newEnd = Math.Min(@new.Count, @new.Count - tail + Context);
        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a" + path).Append('\n');
        text.Append("+++ b").Append(path).Append('\n');
        text.Append("@@ -").Append(Range(start, oldEnd - start)).Append(" +").Append(Range(start, newEnd - start)).Append(" @@\n");
        for (var i = start; i < head; i++) Line(text, ' ', old[i]);
        for (var i = head; i < old.Count - tail; i++) Line(text, '-', old[i]);
        for (var i = head; i < @new.Count - tail; i++) Line(text, '+', @new[i]);
        for (var i = old.Count - tail; i < oldEnd; i++) Line(text, ' ', old[i]);
        return Cut(text.ToString(), maxBytes);
    }

    private static string Range(int start, int length) => length == 0 ? $"{start},0" : $"{start + 1},{length}";

    private static void Line(StringBuilder text, char mark, string line)
    {
        text.Append(mark);
        if (line.EndsWith('\n')) text.Append(line);
        else text.Append(line).Append("\n\\ No newline at end of file\n");
    }

    /// <summary>The lines of a text, each with its own line ending (the last may have none).</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', start))
        {
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    private static (string, bool) Cut(string diff, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(diff) <= maxBytes) return (diff, false);
        var kept = new StringBuilder();
        var bytes = 0;
        foreach (var line in Lines(diff))
        {
            var size = Encoding.UTF8.GetByteCount(line);
            if (bytes + size > maxBytes) break;
            kept.Append(line);
            bytes += size;
        }
        return (kept.ToString(), true);
    }
}
