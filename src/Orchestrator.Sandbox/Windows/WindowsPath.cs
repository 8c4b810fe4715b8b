namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Checks and normalises a Windows path given to the plan (drive-absolute <c>C:\…</c> or UNC <c>\\server\share\…</c>).
/// Pure string work, so it behaves the same on every host.
/// </summary>
internal static class WindowsPath
{
    private static readonly char[] Invalid = ['"', '<', '>', '|', '?', '*'];

    public static bool IsFullyQualified(string path) =>
        path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/'
        || path.Length >= 3 && path[0] is '\\' or '/' && path[1] is '\\' or '/' && path[2] is not ('\\' or '/' or '?' or '.');

    /// <exception cref="ArgumentException">Not fully qualified, a control character or a character Windows forbids, or a . or .. segment.</exception>
    public static string Normalise(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Any(c => c < ' '))
            throw new ArgumentException($"{what}: path contains a control character (NUL, line break, …).", nameof(path));
        if (!IsFullyQualified(path))
            throw new ArgumentException($"{what}: not a fully qualified Windows path (C:\\… or \\\\server\\share\\…): {path}", nameof(path));

        var unc = path[0] is '\\' or '/';
        var body = unc ? path[2..] : path[3..];
        if (body.IndexOfAny(Invalid) >= 0 || (!unc && body.Contains(':')))
            throw new ArgumentException($"{what}: path contains a character Windows does not allow in names: {path}", nameof(path));
        var segments = body.Split(['\\', '/'], StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
            throw new ArgumentException($"{what}: path is not canonical (has . or ..): {path}", nameof(path));

        return unc
            ? @"\\" + string.Join('\\', segments)
            : char.ToUpperInvariant(path[0]) + @":\" + string.Join('\\', segments);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or beneath it (both normalised; case-insensitive).</summary>
    public static bool IsWithin(string path, string root) =>
        path.Equals(root, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(root.EndsWith('\\') ? root : root + "\\", StringComparison.OrdinalIgnoreCase);

    /// <summary>The parent of a normalised path; null at a drive root or share.</summary>
    public static string? Parent(string path)
    {
        var slash = path.LastIndexOf('\\');
        if (path.StartsWith(@"\\", StringComparison.Ordinal))
            return path.Count(c => c == '\\') <= 3 ? null : path[..slash];
        if (path.Length <= 3)
            return null;
        return slash == 2 ? path[..3] : path[..slash];
    }
}
