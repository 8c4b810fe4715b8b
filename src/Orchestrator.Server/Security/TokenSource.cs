using Orchestrator.Core.Access;

namespace Orchestrator.Server.Security;

/// <summary>
/// The token book as the server sees it: <c>DATA/tokens.json</c>, read again whenever the file changes (the CLI may
/// add or revoke tokens while the server runs), plus the hash of the server secret for local mode. A token file that
/// cannot be read makes every protected request fail closed (503) until it is repaired.
/// </summary>
public sealed class TokenSource
{
    private readonly string _dataDirectory;
    private readonly object _gate = new();
    private (DateTime Written, long Length, bool Exists) _stamp = (default, -1, false);
    private TokenBook _book = TokenBook.Empty;
    private string? _error;

    public TokenSource(string dataDirectory, string? serverSecretHash)
    {
        _dataDirectory = Path.GetFullPath(dataDirectory);
        ServerSecretHash = serverSecretHash;
        Refresh();
    }

    public string? ServerSecretHash { get; }

    public string DataDirectory => _dataDirectory;

    /// <summary>The current book, or the one-line reason it cannot be read.</summary>
    public (TokenBook Book, string? Error) Current()
    {
        Refresh();
        lock (_gate) return (_book, _error);
    }

    /// <summary>Changes the book on disk (under its lock) and takes the result at once.</summary>
    public T Update<T>(Func<TokenBook, (TokenBook Book, T Result)> change)
    {
        var result = TokenStoreFile.Update(_dataDirectory, change);
        Refresh(force: true);
        return result;
    }

    private void Refresh(bool force = false)
    {
        var file = new FileInfo(TokenStoreFile.PathIn(_dataDirectory));
        var stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length, true) : (default(DateTime), -1L, false);
        lock (_gate)
        {
            if (!force && stamp == _stamp) return;
            try
            {
                (_book, _error) = (TokenStoreFile.Load(_dataDirectory), null);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                (_book, _error) = (TokenBook.Empty, $"{e.Message}; refusing every request that needs a token until it is repaired");
            }
            _stamp = stamp;
        }
    }
}
