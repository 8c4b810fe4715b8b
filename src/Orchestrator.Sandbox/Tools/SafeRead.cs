using System.Text;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Reads a file a search walk found, through <see cref="GuardedFile"/>: opened beneath the search's canonical root
/// without following a link (a directory swapped for a symlink after the walk fails the open), regular files only (a
/// FIFO never blocks the search).
/// </summary>
internal static class SafeRead
{
    /// <summary>The canonical path (every symlink resolved), or null when it does not exist.</summary>
    public static string? Canonical(string path) =>
        PathCanonicalizer.Canonicalize(path, "/", "/") is { IsResolved: true, Exists: true } canonical ? canonical.FullPath : null;

    /// <summary>The file's bytes as UTF-8 text; null when it is binary (a NUL byte), larger than <paramref name="maxBytes"/>,
    /// not a regular file, reached through a link, unreadable, or not beneath <paramref name="canonicalRoot"/>.</summary>
    public static string? Text(string path, long maxBytes, string canonicalRoot, CancellationToken cancellation)
    {
        if (!PathText.IsSameOrUnder(path, canonicalRoot, StringComparison.Ordinal) || path == canonicalRoot) return null;
        try
        {
            var check = FileCheck.Allowed(path, canonicalRoot);
            using var directory = GuardedFile.OpenParent(check);
            using var file = GuardedFile.OpenRegular(directory, check.Name, path);
            if (file is null || file.Size > maxBytes) return null;
            var bytes = GuardedFile.ReadAll(file, maxBytes, path, cancellation);
            return bytes.AsSpan().IndexOf((byte)0) >= 0 ? null : Encoding.UTF8.GetString(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
