namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The one check of a Grep pattern, made when the call is validated (before anything runs), whichever engine will
/// search: a pattern that is no valid ripgrep regex (<see cref="RustRegex"/>'s parser) or names a newline without
/// <c>multiline</c> is refused for both engines with the same words; one the .NET fallback cannot search identically is
/// refused only when the fallback will search. A parse error ripgrep still reports is worded the same way
/// (<see cref="FromRipgrep"/>).
/// </summary>
public static class GrepPattern
{
    public static string? Problem(GrepRequest request, bool fallback)
    {
        if (NewlineProblem(request) is { } newline) return newline;
        RustRegex.Translate(request.Pattern, request.IgnoreCase, out var error, out var invalid);
        return error is not null && (invalid || fallback) ? error : null;
    }

    /// <summary>ripgrep searches line by line: a newline in the pattern matches only with <c>multiline</c> (ripgrep refuses it too).</summary>
    public static string? NewlineProblem(GrepRequest request) =>
        !request.Multiline && (request.Pattern.Contains('\n') || request.Pattern.Contains("\\n", StringComparison.Ordinal))
            ? RustRegex.NotRipgrepSyntax(request.Pattern, "it names a newline ('\\n'), which matches only with multiline: true")
            : null;

    /// <summary>
    /// ripgrep's own parse error (its stderr, exit 2) in the words of <see cref="RustRegex.NotRipgrepSyntax"/>, or null
    /// when <paramref name="stderr"/> is not one.
    /// </summary>
    public static string? FromRipgrep(GrepRequest request, string stderr)
    {
        if (!stderr.StartsWith("regex parse error", StringComparison.Ordinal) && !stderr.Contains("\nregex parse error", StringComparison.Ordinal))
            return null;
        var reason = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) is { } line
            ? line["error:".Length..].Trim()
            : "ripgrep could not parse it";
        return RustRegex.NotRipgrepSyntax(request.Pattern, reason);
    }
}
