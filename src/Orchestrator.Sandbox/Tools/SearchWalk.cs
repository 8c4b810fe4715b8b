namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The files ripgrep would search below a directory with <c>--sort path --no-require-git --no-ignore-parent
/// --no-ignore-global --no-ignore-exclude</c> and no <c>--follow</c>: symlinks are never followed (neither files nor
/// directories), hidden names are skipped, and ignore rules decide as in ripgrep's ignore crate — a <c>--glob</c> override
/// first (its whitelist beats everything, and with any whitelist an unmatched file is skipped), then <c>.rgignore</c>,
/// <c>.ignore</c> and <c>.gitignore</c> rules (in that order of precedence; within each kind the nearest directory's
/// last matching rule; <c>.gitignore</c>s above a directory holding <c>.git</c> do not reach into it), then the file
/// type, then hiddenness unless something whitelisted the path. Entries are visited in ordinal name order.
/// </summary>
public sealed class SearchWalk(IgnoreFile? overrides, ToolGlob? type)
{
    private static readonly string[] IgnoreNames = [".rgignore", ".ignore", ".gitignore"];

    private sealed record Level(string Directory, IgnoreFile?[] Files, bool HasGit, Level? Parent);

    /// <summary>The regular files to search below <paramref name="root"/> (absolute paths), in ripgrep's order.</summary>
    public IEnumerable<string> Files(string root, Func<string, bool>? include = null)
    {
        var rootLevel = Enter(root, null);
        return Walk(root, root, rootLevel, include);
    }

    private IEnumerable<string> Walk(string root, string directory, Level level, Func<string, bool>? include)
    {
        List<FileSystemInfo> entries;
        try { entries = [.. new DirectoryInfo(directory).EnumerateFileSystemInfos()]; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var entry in entries)
        {
            if (entry.LinkTarget is not null) continue;
            var isDirectory = entry is DirectoryInfo;
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (Skipped(relative, entry.FullName, entry.Name, isDirectory, level)) continue;
            if (include is not null && !include(entry.FullName)) continue;
            if (isDirectory)
            {
                foreach (var file in Walk(root, entry.FullName, Enter(entry.FullName, level), include)) yield return file;
            }
            else yield return entry.FullName;
        }
    }

    private static Level Enter(string directory, Level? parent)
    {
        var files = new IgnoreFile?[IgnoreNames.Length];
        for (var i = 0; i < IgnoreNames.Length; i++)
        {
            var path = Path.Join(directory, IgnoreNames[i]);
            if (File.Exists(path)) files[i] = IgnoreFile.Read(path);
        }
        return new Level(directory, files, Directory.Exists(Path.Join(directory, ".git")) || File.Exists(Path.Join(directory, ".git")), parent);
    }

    private bool Skipped(string relativeToRoot, string fullPath, string name, bool isDirectory, Level level)
    {
        if (overrides is { IsEmpty: false })
        {
            var matched = overrides.Match(relativeToRoot, isDirectory);
            if (matched == IgnoreMatch.Ignore) return true;
            if (matched == IgnoreMatch.Whitelist) return false;
            if (!isDirectory && overrides.WhitelistCount > 0) return true;
        }
        var whitelisted = false;
        var fromIgnoreFiles = IgnoreFiles(fullPath, isDirectory, level);
        if (fromIgnoreFiles == IgnoreMatch.Ignore) return true;
        if (fromIgnoreFiles == IgnoreMatch.Whitelist) whitelisted = true;
        if (type is not null && !isDirectory)
        {
            if (!type.IsMatch(name)) return true;
            whitelisted = true;
        }
        return !whitelisted && name.StartsWith('.');
    }

    private static IgnoreMatch IgnoreFiles(string fullPath, bool isDirectory, Level level)
    {
        var found = new IgnoreMatch[IgnoreNames.Length];
        var sawGit = false;
        for (var at = level; at is not null; at = at.Parent)
        {
            for (var kind = 0; kind < IgnoreNames.Length; kind++)
            {
                if (found[kind] != IgnoreMatch.None || at.Files[kind] is not { } rules) continue;
                if (kind == IgnoreNames.Length - 1 && sawGit) continue;
                found[kind] = rules.Match(Path.GetRelativePath(at.Directory, fullPath).Replace('\\', '/'), isDirectory);
            }
            sawGit |= at.HasGit;
        }
        foreach (var match in found)
            if (match != IgnoreMatch.None) return match;
        return IgnoreMatch.None;
    }
}
