using System.Text.Json;
using Orchestrator.Core.Storage;

namespace Orchestrator.Actors.Storage;

/// <summary>
/// One writer per data directory: an exclusive lock on DATA/lock (flock on Unix) held for the process's life, and
/// DATA/server.json naming the holder's address, so another command that needs to write can send its request there
/// or fail closed naming it.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string LockFile = "lock";
    public const string AnnouncementFile = "server.json";

    private readonly FileStream _lock;
    private readonly string _announcement;
    private bool _announced;

    private DataDirectoryLock(FileStream lockStream, string dataDirectory)
    {
        _lock = lockStream;
        _announcement = Path.Combine(dataDirectory, AnnouncementFile);
    }

    /// <exception cref="StartupRefusedException">Another process holds the data directory.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LockFile);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile.Mode;
            return new DataDirectoryLock(new FileStream(path, options), dataDirectory);
        }
        catch (IOException e)
        {
            var holder = Holder(dataDirectory);
            throw new StartupRefusedException(
                $"data directory {dataDirectory} is in use by another Orchestrator process" +
                (holder is null ? "" : $" (the server at {holder.Url}, pid {holder.ProcessId})") +
                "; stop it, choose another --data, or send your requests to it with --server", e);
        }
    }

    /// <summary>
    /// Whether another process holds <paramref name="dataDirectory"/> now (its lock is taken), and the server it
    /// announced (null while a process that serves nothing, such as an in-process <c>orchestrator run</c>, holds it).
    /// Creates nothing.
    /// </summary>
    public static (bool Held, ServerAnnouncement? Server) Probe(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LockFile);
        if (!File.Exists(path)) return (false, null);
        try
        {
            // A shared lock cannot be had while the holder keeps its exclusive one.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return (false, null);
        }
        catch (IOException)
        {
            return (true, Holder(dataDirectory));
        }
        catch (UnauthorizedAccessException)
        {
            return (false, null);
        }
    }

    /// <summary>Who holds <paramref name="dataDirectory"/>, from its server.json; null when none announced itself.</summary>
    public static ServerAnnouncement? Holder(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<ServerAnnouncement>(File.ReadAllText(Path.Combine(dataDirectory, AnnouncementFile)), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes DATA/server.json (0600) with the address this process serves on.</summary>
    public void Announce(Uri url)
    {
        PrivateFile.Write(_announcement, JsonSerializer.Serialize(new ServerAnnouncement(url.ToString(), Environment.ProcessId), Json));
        _announced = true;
    }

    public void Dispose()
    {
        if (_announced)
        {
            try { File.Delete(_announcement); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _announced = false;
        }
        _lock.Dispose();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>The content of DATA/server.json.</summary>
public sealed record ServerAnnouncement(string Url, int ProcessId);
