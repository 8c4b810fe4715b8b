namespace Orchestrator.Actors.Storage;

/// <summary>Orchestrator's data directory: journal, keys, tokens, high-water mark. Only its owner may enter it.</summary>
public static class DataDirectory
{
    /// <summary>Creates <paramref name="path"/> (mode 0700) when missing and returns its full path.</summary>
    public static string Ensure(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(full);
            else Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return full;
    }
}
