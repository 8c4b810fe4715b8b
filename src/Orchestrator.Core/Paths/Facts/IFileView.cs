namespace Orchestrator.Core.Paths;

/// <summary>
/// Everything policy evaluation may learn from the filesystem: what one path is (missing, a symlink and its text, or
/// something else) and which names in a directory a glob segment matches. The canonicaliser, the glob expander and
/// every path check ask through a view instead of touching the disk, so an evaluation can be recorded
/// (<see cref="RecordingFileView"/>) and re-run from the record (<see cref="RecordedFileView"/>).
/// </summary>
public interface IFileView
{
    /// <summary>What <paramref name="path"/> is, without following a final symlink.</summary>
    /// <exception cref="IOException">The entry cannot be inspected (the message says why).</exception>
    /// <exception cref="FactNotRecordedException">A recorded view was asked something that was not recorded.</exception>
    FileEntry Probe(string path);

    /// <summary>
    /// The names in <paramref name="directory"/> that <paramref name="segment"/> matches the way bash expands a glob
    /// (a wildcard never matches a leading dot unless the segment starts with one; never <c>.</c> or <c>..</c>),
    /// ordinal-sorted, at most <paramref name="limit"/> + 1 of them; none when the directory cannot be listed.
    /// </summary>
    IReadOnlyList<string> Matches(string directory, string segment, int limit);

    /// <summary>
    /// The canonicaliser resumes below <paramref name="directory"/> without asking about it because the policy
    /// snapshot established it is a real directory; a recording view notes that as a fact of the call.
    /// </summary>
    void AssumeDirectory(string directory);
}
