namespace Orchestrator.Sandbox.Tools;

/// <summary>The bounds of structured calls (<c>serve</c> options and <c>RunLimits.Tools</c> change them).</summary>
public sealed record ToolLimits
{
    public static ToolLimits Default { get; } = new();

    /// <summary>How long one call may take before it is cancelled (and recorded as timed out).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest file Read, Edit and MultiEdit load (Read beyond it only with <c>offset</c>/<c>limit</c>).</summary>
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Largest <c>content</c> a Write may carry (a larger one is refused, nothing written).</summary>
    public long MaxWriteBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Lines a Read returns when it names no <c>limit</c> (Claude Code's 2,000).</summary>
    public int DefaultReadLines { get; init; } = 2000;

    /// <summary>Characters kept of one line a Read returns; longer lines are cut (Claude Code's 2,000).</summary>
    public int MaxLineCharacters { get; init; } = 2000;

    /// <summary>Largest image or PDF a Read returns (as a base64 data URL); larger ones are refused.</summary>
    public long MaxImageBytes { get; init; } = 24 * 1024;

    /// <summary>Bytes of output a call may produce: what the run's output cap keeps (head + tail), so nothing is cut mid-way.</summary>
    public int MaxOutputBytes { get; init; } = 64 * 1024;

    /// <summary>Bytes of a page WebFetch reads; the rest is not read and the cut is said.</summary>
    public long MaxFetchBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Paths a Glob lists, newest first (Claude Code's 100); the rest are counted.</summary>
    public int MaxGlobResults { get; init; } = GlobSearch.MaxResults;

    /// <summary>Lines (entries) a Grep returns at most, whatever its <c>head_limit</c>.</summary>
    public int MaxGrepLines { get; init; } = GrepSearch.MaxLines;

    /// <summary>Bytes of unified diff recorded with a write or an edit; longer diffs are cut and marked.</summary>
    public int MaxDiffBytes { get; init; } = 16 * 1024;
}
