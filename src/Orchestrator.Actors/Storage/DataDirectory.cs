namespace Orchestrator.Actors.Storage;

/// <summary>Orchestrator's data directory: journal, keys, tokens, high-water mark. Only its owner may enter it.</summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (mode 0700) when missing, closes an existing one to its owner (the SQLite journal
    /// and its -wal are created world-readable by default, so the directory is what keeps other users out), and returns
    /// its full path.
    /// </summary>
    public static string Ensure(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return full;
        }
        if (!Directory.Exists(full)) Directory.CreateDirectory(full, OwnerOnly);
        else if ((File.GetUnixFileMode(full) & ~OwnerOnly) != 0)
        {
            try { File.SetUnixFileMode(full, OwnerOnly); }
            catch (UnauthorizedAccessException)
            {
                throw new StartupRefusedException(
                    $"data directory {full} is open to other users and cannot be closed (owned by another user); use a directory of your own");
            }
        }
        return full;
    }
}
