using Orchestrator.Core.Storage;

namespace Orchestrator.Core.Access;

/// <summary>
/// <c>DATA/server-secret</c> (0600): the local user's credential when no token is issued. <c>serve</c> creates it; the
/// CLI on the same machine reads it from the data directory; a sandboxed process cannot, because the data directory is
/// hidden from every sandbox.
/// </summary>
public static class ServerSecret
{
    public const string FileName = "server-secret";

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>The secret, created on first use; only its hash is kept in memory.</summary>
    public static string EnsureHash(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        PrivateFile.CreateNew(path, TokenSecret.Generate());
        return TokenSecret.Hash(Read(dataDirectory) ?? throw new InvalidDataException($"the server secret {path} is empty"));
    }

    /// <summary>The secret, or null when there is none (or it cannot be read: the CLI then sends no credentials).</summary>
    public static string? Read(string dataDirectory)
    {
        try
        {
            var text = File.ReadAllText(PathIn(dataDirectory)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
