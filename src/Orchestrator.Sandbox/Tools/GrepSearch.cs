namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Claude Code's Grep: ripgrep when it is installed (<see cref="RipgrepSearch"/>), else the .NET fallback
/// (<see cref="ManagedGrep"/>) which refuses a pattern it cannot match as ripgrep would. Both print the same lines for
/// the same tree; <c>head_limit</c> keeps the first lines (entries), and at most <see cref="ToolLimits.MaxGrepLines"/> are kept anyway.
/// </summary>
public static class GrepSearch
{
    /// <summary>Lines kept by default (<see cref="ToolLimits.MaxGrepLines"/> changes it).</summary>
    public const int MaxLines = 20_000;
    public const long MaxFileBytes = 64L * 1024 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <param name="confinement">The sandbox ripgrep runs in; without one that can run here, the .NET fallback searches
    /// (ripgrep never runs unconfined for a call).</param>
    public static async Task<GrepOutput> RunAsync(GrepRequest request, Func<string, bool>? include, bool preferRipgrep, RipgrepConfinement? confinement,
        CancellationToken cancellation, int maxLines = MaxLines)
    {
        var limit = Math.Min(request.HeadLimit ?? maxLines, maxLines);
        var output = preferRipgrep && RipgrepSearch.Installed is not null && confinement is { CanRun: true }
            ? await RipgrepSearch.SearchConfinedAsync(request, include, limit, Timeout, confinement, cancellation).ConfigureAwait(false)
            : await Task.Run(() => ManagedGrep.Search(request, include, limit, MaxFileBytes, Timeout, cancellation), cancellation).ConfigureAwait(false);
        return output.Lines.Count > limit ? output with { Lines = output.Lines.Take(limit).ToList() } : output;
    }

    /// <summary>What the agent reads: the lines, or a plain sentence when nothing matched.</summary>
    public static string Text(GrepRequest request, GrepOutput output, int maxLines = MaxLines)
    {
        if (output.Lines.Count == 0) return request.Mode == GrepOutputMode.FilesWithMatches ? "No files found" : "No matches found";
        var text = string.Join('\n', output.Lines);
        var limit = Math.Min(request.HeadLimit ?? maxLines, maxLines);
        return output.Lines.Count >= limit && request.HeadLimit is null ? text + $"\n(Output cut at {maxLines:N0} lines.)" : text;
    }
}
