namespace Orchestrator.Sandbox.Linux.Workspace;

internal static class SortedPaths
{
    /// <summary>
    /// <paramref name="path"/> and what lies below it in an ordinally sorted set, found by range rather than by a scan:
    /// in ordinal order every "p/…" lies between "p/" and "p0" ('0' follows '/').
    /// </summary>
    public static IEnumerable<string> AtOrBelow(SortedSet<string> set, string path)
    {
        if (set.Contains(path)) yield return path;
        foreach (var below in set.GetViewBetween(path + "/", path + "0"))
            if (below.Length > path.Length && below[path.Length] == '/') yield return below;
    }
}
