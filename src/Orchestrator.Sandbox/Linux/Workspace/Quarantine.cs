using System.Globalization;
using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>
/// Where Orchestrator moves what it takes out of a workspace (protected paths a command created, stub files left by
/// older versions): one new directory per item under <c>DATA/quarantine</c>, holding the item under its own name and
/// an <c>origin.txt</c> saying where it came from and why. Recoverable by moving it back; the data directory is hidden
/// from every sandboxed command.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class Quarantine(string directory)
{
    private const int EXDEV = 18;

    public string Directory { get; } = directory;

    /// <summary>The quarantine under Orchestrator's default data directory.</summary>
    public static Quarantine Default() => new(Path.Combine(Core.Policy.PolicyLoadOptions.DefaultDataDirectory(), "quarantine"));

    /// <returns>Where it went, or null with <paramref name="failure"/> (null too when the path is gone already).</returns>
    public string? Move(string path, string why, out string? failure)
    {
        failure = null;
        if (!Exists(path)) return null;
        try
        {
            var holder = Path.Combine(Directory, $"{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("n")[..8]}");
            System.IO.Directory.CreateDirectory(holder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var target = Path.Combine(holder, Path.GetFileName(path));
            if (Rename(path, target) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != EXDEV) throw new IOException(Marshal.GetPInvokeErrorMessage(error));
                CopyTree(path, target);
                DeleteTree(path);
            }
            File.WriteAllText(Path.Combine(holder, "origin.txt"),
                $"path: {path}\nwhy: {why}\nmoved: {DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)}\nto restore: mv '{target}' '{path}'\n");
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!Exists(path)) return null;
            failure = $"could not be moved into quarantine {Directory}: {e.Message}";
            return null;
        }
    }

    private static bool Exists(string path) => File.Exists(path) || System.IO.Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>Across filesystems: directories, files and links as they are (links are never followed).</summary>
    private static void CopyTree(string from, string to)
    {
        var info = new FileInfo(from);
        if (info.LinkTarget is { } link)
        {
            File.CreateSymbolicLink(to, link);
            return;
        }
        if (!System.IO.Directory.Exists(from))
        {
            File.Copy(from, to);
            return;
        }
        System.IO.Directory.CreateDirectory(to);
        File.SetUnixFileMode(from, File.GetUnixFileMode(from) | UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(from))
            CopyTree(entry, Path.Combine(to, Path.GetFileName(entry)));
    }

    private static void DeleteTree(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || !System.IO.Directory.Exists(path)) File.Delete(path);
        else System.IO.Directory.Delete(path, recursive: true);
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string from, string to);
}
