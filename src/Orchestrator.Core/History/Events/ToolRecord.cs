using System.Collections.Immutable;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// What a structured tool (Read, Write, Edit, MultiEdit, Glob, Grep, WebFetch — executed by Orchestrator itself, not
/// by a sandboxed process) did, recorded with its end in <see cref="ExecutionResult.Tool"/>. <see cref="Target"/> is
/// the canonical path (or URL) it touched. Reads record the byte range they returned (<see cref="RangeStart"/> up to,
/// not including, <see cref="RangeEnd"/>) and the <see cref="Digest"/> of those bytes; writes and edits the digests of
/// the whole file before (null: it did not exist) and after, and a unified diff bounded by the tool's diff cap
/// (<see cref="DiffTruncated"/> when cut). <see cref="Details"/> holds any further named facts a tool records
/// (counts, a final URL, …), so a new tool needs no new event version. <see cref="Failure"/> (added later; absent in
/// older events, which read as null) is why the tool failed once it ran (a file gone, an edit conflict, a fetch cut
/// off): the call then completes as failed with that reason, not as allowed-and-ran.
/// </summary>
public sealed record ToolRecord(
    string Tool,
    string? Target,
    long? RangeStart = null,
    long? RangeEnd = null,
    string? Digest = null,
    string? BeforeDigest = null,
    string? AfterDigest = null,
    string? Diff = null,
    bool DiffTruncated = false,
    ImmutableSortedDictionary<string, string>? Details = null,
    string? Failure = null)
{
    public bool Equals(ToolRecord? other) =>
        other is not null && Tool == other.Tool && Target == other.Target && RangeStart == other.RangeStart && RangeEnd == other.RangeEnd
        && Digest == other.Digest && BeforeDigest == other.BeforeDigest && AfterDigest == other.AfterDigest && Diff == other.Diff
        && DiffTruncated == other.DiffTruncated && Failure == other.Failure
        && (Details is null ? other.Details is null : other.Details is not null && Details.SequenceEqual(other.Details));

    /// <summary>What <see cref="Target"/> is for <paramref name="tool"/>, as history labels it: a <c>url</c>
    /// (WebFetch), the searched <c>path</c> (Grep, Glob) or the <c>file</c> read or written.</summary>
    public static string TargetLabel(string? tool) => tool switch
    {
        Calls.ToolNames.WebFetch => "url",
        Calls.ToolNames.Grep or Calls.ToolNames.Glob => "path",
        _ => "file",
    };

    public override int GetHashCode() => HashCode.Combine(Tool, Target, RangeStart, Digest, AfterDigest);
}
