using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Storage;

namespace Orchestrator.Core.Access;

/// <summary>
/// <c>DATA/tokens.json</c> (0600): the <see cref="TokenBook"/> on disk, hashes only. Every change is a read-modify-write
/// under <c>DATA/tokens.json.lock</c> (flock), written atomically, so the CLI and a running server can both change it.
/// A file that cannot be read is an error naming it — never an empty book, which would open local mode.
/// </summary>
public static class TokenStoreFile
{
    public const string FileName = "tokens.json";
    public const string LockName = "tokens.json.lock";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>The book in <paramref name="dataDirectory"/> (empty when there is no file).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a token file.</exception>
    public static TokenBook Load(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        string text;
        try { text = File.ReadAllText(path); }
        catch (FileNotFoundException) { return TokenBook.Empty; }
        catch (DirectoryNotFoundException) { return TokenBook.Empty; }
        return Parse(text, path);
    }

    /// <summary>Changes the book under the lock; the change returns the new book (saved if it differs) and a result.</summary>
    public static T Update<T>(string dataDirectory, Func<TokenBook, (TokenBook Book, T Result)> change)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        using var held = FileLock.Acquire(Path.Combine(directory, LockName));
        var before = Load(directory);
        var (after, result) = change(before);
        if (!ReferenceEquals(after, before)) PrivateFile.Write(PathIn(directory), Serialize(after));
        return result;
    }

    public static string Serialize(TokenBook book) => JsonSerializer.Serialize(new StoredFile(1,
        [.. book.Records.Select(r => new StoredToken(r.Name, r.Role.Name(), r.Agent?.Value, r.Hash, r.CreatedAt,
            r.SubAgents.IsDefaultOrEmpty ? null : [.. r.SubAgents.Select(a => a.Value)]))]), Json);

    public static TokenBook Parse(string text, string path)
    {
        StoredFile? stored;
        try { stored = JsonSerializer.Deserialize<StoredFile>(text, Json); }
        catch (JsonException e) { throw new InvalidDataException($"the token file {path} is not valid JSON: {e.Message}"); }
        if (stored is not { Version: 1, Tokens: not null })
            throw new InvalidDataException($"the token file {path} is not a version 1 token file");
        var book = TokenBook.Empty;
        foreach (var t in stored.Tokens)
        {
            if (t?.Name is null || Roles.Parse(t.Role) is not { } role || t.Sha256 is null)
                throw new InvalidDataException($"the token file {path} has an entry without name, role or sha256");
            var (next, error) = book.Add(new TokenRecord(t.Name, role, t.Agent is null ? null : new AgentId(t.Agent), t.Sha256, t.CreatedAt)
            {
                SubAgents = t.SubAgents is null ? [] : [.. t.SubAgents.Select(a => new AgentId(a ?? ""))],
            });
            if (error is not null) throw new InvalidDataException($"the token file {path} has a bad entry {t.Name}: {error}");
            book = next;
        }
        return book;
    }

    private sealed record StoredFile(int Version, List<StoredToken?>? Tokens);

    private sealed record StoredToken(string? Name, string? Role, string? Agent, string? Sha256, DateTimeOffset CreatedAt,
        List<string?>? SubAgents = null);
}
