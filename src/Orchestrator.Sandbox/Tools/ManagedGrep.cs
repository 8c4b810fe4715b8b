using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Grep without ripgrep: the files <see cref="SearchWalk"/> picks, searched with the pattern <see cref="RustRegex"/>
/// translates (refused when it cannot be matched identically), printed exactly as ripgrep prints them. Line by line,
/// or over the whole file with <c>multiline</c> (<c>.</c> then matches newlines, as <c>rg -U --multiline-dotall</c>). A
/// file holding a NUL byte is binary and skipped, as ripgrep skips it. Matching is bounded by <paramref name="matchTimeout"/>
/// per file (the engine is linear, so this only bounds huge files).
/// </summary>
public static class ManagedGrep
{
    public const string EngineName = "dotnet";

    public static GrepOutput Search(GrepRequest request, Func<string, bool>? include, int maxLines, long maxFileBytes, TimeSpan matchTimeout, CancellationToken cancellation)
    {
        if (Compile(request, matchTimeout, out var multiline, out var error) is not { } regex) return GrepOutput.Failed(error!, EngineName);
        var overrides = IgnoreFile.Overrides(request.Glob is null ? [] : [request.Glob], out error);
        if (overrides is null) return GrepOutput.Failed(error!, EngineName);
        var walk = new SearchWalk(overrides, request.Type is null ? null : GrepTypes.Matcher(request.Type));

        IEnumerable<string> files;
        if (File.Exists(request.Path) && !Directory.Exists(request.Path)) files = [request.Path];
        else if (Directory.Exists(request.Path)) files = walk.Files(request.Path, include);
        else return GrepOutput.Failed($"Grep path '{request.Path}' does not exist", EngineName);

        // Files are opened beneath the searched directory (a file searched alone, beneath its own directory).
        var searched = Directory.Exists(request.Path) ? request.Path : Path.GetDirectoryName(request.Path)!;
        var canonicalRoot = SafeRead.Canonical(searched) ?? searched;
        var lines = new List<string>();
        var printer = new Printer(request, lines);
        try
        {
            foreach (var file in files)
            {
                cancellation.ThrowIfCancellationRequested();
                if (SafeRead.Text(Path.Join(canonicalRoot, Path.GetRelativePath(searched, file)), maxFileBytes, canonicalRoot, cancellation) is not { } text) continue;
                var matched = multiline ? MultilineMatches(regex, text) : LineMatches(regex, text);
                if (request.Multiline && text.Length > 0 && text[^1] == '\n' && regex.Match(text, text.Length) is { Success: true, Length: 0 })
                    matched = matched with { EmptyMatchAtEnd = true };
                printer.File(file, matched);
                if (lines.Count >= maxLines) break;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return GrepOutput.Failed($"pattern '{request.Pattern}' took longer than {matchTimeout.TotalSeconds:0.#} s on one file; narrow the pattern or the path", EngineName);
        }
        return new GrepOutput(lines, null, EngineName);
    }

    /// <summary>The .NET regex for the request, or why there is none; <paramref name="multiline"/> says whether files
    /// are searched whole (a multiline request whose pattern can match a newline) or line by line.</summary>
    public static Regex? Compile(GrepRequest request, TimeSpan matchTimeout, out bool multiline, out string? error)
    {
        multiline = false;
        if (GrepPattern.NewlineProblem(request) is { } newline) { error = newline; return null; }
        if (RustRegex.Translate(request.Pattern, request.IgnoreCase, out error) is not { } translated) return null;
        var options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.Multiline;
        if (request.IgnoreCase) options |= RegexOptions.IgnoreCase;
        if (request.Multiline) options |= RegexOptions.Singleline;
        try
        {
            var regex = new Regex(translated.Pattern, options, matchTimeout);
            multiline = request.Multiline && translated.CanMatchNewline(options);
            return regex;
        }
        catch (ArgumentException e)
        {
            error = $"pattern '{request.Pattern}' is not a valid regex: {e.Message}";
            return null;
        }
    }

    /// <summary>The file's lines, whether each is printed as matching, and what <c>--count</c> prints: matching lines when
    /// searched line by line, matches when searched whole.</summary>
    /// <remarks><see cref="EmptyMatchAtEnd"/>: with <c>--multiline</c>, ripgrep 13 takes an empty match after the last
    /// newline for a match on the line past the end: never printed or counted, but its before-context is printed.</remarks>
    private sealed record FileLines(string[] Lines, bool[] Matched, int Count, bool EmptyMatchAtEnd = false);

    private static FileLines LineMatches(Regex regex, string text)
    {
        var lines = SplitLines(text);
        var matched = new bool[lines.Length];
        var count = 0;
        for (var i = 0; i < lines.Length; i++)
            if (regex.IsMatch(lines[i])) { matched[i] = true; count++; }
        return new FileLines(lines, matched, count);
    }

    private static FileLines MultilineMatches(Regex regex, string text)
    {
        var lines = SplitLines(text);
        var starts = new int[lines.Length + 1];
        for (int i = 0, at = 0; i < lines.Length; i++) { starts[i] = at; at += lines[i].Length + 1; }
        starts[lines.Length] = int.MaxValue;
        var matched = new bool[lines.Length];
        var count = 0;
        foreach (var match in regex.EnumerateMatches(text))
        {
            if (match.Index >= text.Length && match.Length == 0 && (text.Length == 0 || text[^1] == '\n')) continue;
            var first = LineOf(starts, match.Index);
            var last = LineOf(starts, match.Length > 0 ? match.Index + match.Length - 1 : match.Index);
            count++;
            for (var l = first; l <= last && l < lines.Length; l++) matched[l] = true;
        }
        return new FileLines(lines, matched, count);
    }

    private static int LineOf(int[] starts, int position)
    {
        var found = Array.BinarySearch(starts, position);
        return found >= 0 ? found : ~found - 1;
    }

    private static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Split('\n');
        return text[^1] == '\n' ? lines[..^1] : lines;
    }

    private sealed class Printer(GrepRequest request, List<string> output)
    {
        private bool _printedAny;

        public void File(string path, FileLines file)
        {
            if (file.Count == 0 && !(file.EmptyMatchAtEnd && request.Mode == GrepOutputMode.Content)) return;
            switch (request.Mode)
            {
                case GrepOutputMode.FilesWithMatches: output.Add(path); return;
                case GrepOutputMode.Count: output.Add($"{path}:{file.Count}"); return;
            }
            var n = file.Lines.Length;
            var show = new bool[n];
            for (var i = 0; i < n; i++)
            {
                if (!file.Matched[i]) continue;
                for (var j = Math.Max(0, i - request.Before); j <= Math.Min(n - 1, i + request.After); j++) show[j] = true;
            }
            if (file.EmptyMatchAtEnd)
                for (var j = Math.Max(0, n - request.Before); j < n; j++) show[j] = true;
            var context = request.Before > 0 || request.After > 0;
            var last = -2;
            for (var i = 0; i < n; i++)
            {
                if (!show[i]) continue;
                if (context && _printedAny && last != i - 1) output.Add("--");
                var separator = file.Matched[i] ? ':' : '-';
                var line = new StringBuilder(path).Append(separator);
                if (request.LineNumbers) line.Append(i + 1).Append(separator);
                output.Add(line.Append(file.Lines[i]).ToString());
                last = i;
                _printedAny = true;
            }
        }
    }
}
