namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// Checks and canonicalises a path before it becomes a Seatbelt parameter. Seatbelt matches the resolved path, so the
/// macOS aliases <c>/tmp</c>, <c>/var</c> and <c>/etc</c> (symlinks into <c>/private</c>) are rewritten.
/// </summary>
internal static class MacPath
{
    private static readonly string[] PrivateAliases = ["/tmp", "/var", "/etc"];

    /// <exception cref="ArgumentException">The path is empty, relative, has a NUL or line break, or a . or .. segment.</exception>
    public static string Canonicalise(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw new ArgumentException($"{what}: empty path.", nameof(path));
        if (path.IndexOfAny(['\0', '\n', '\r']) >= 0)
            throw new ArgumentException($"{what}: path contains a NUL or a line break.", nameof(path));
        if (path[0] != '/')
            throw new ArgumentException($"{what}: path is not absolute: {path}", nameof(path));

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
            throw new ArgumentException($"{what}: path is not canonical (has . or ..): {path}", nameof(path));

        var joined = "/" + string.Join('/', segments);
        foreach (var alias in PrivateAliases)
        {
            if (joined == alias || joined.StartsWith(alias + "/", StringComparison.Ordinal))
                return "/private" + joined;
        }
        return joined;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies beneath it (both canonical).</summary>
    public static bool IsWithin(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    /// <summary>The parent of a canonical path; null for the root.</summary>
    public static string? Parent(string path)
    {
        if (path == "/")
            return null;
        var slash = path.LastIndexOf('/');
        return slash == 0 ? "/" : path[..slash];
    }
}
