using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Orchestrator.Core.Policy.Sources;

public enum PolicyFileKind
{
    Missing,
    File,
    Directory,
    Unreadable,
}

/// <summary>
/// What the loader found at one path: a file (its bytes), a directory (the names of the files directly in it, ordinal
/// order), nothing, or an error (a file too large counts as unreadable).
/// </summary>
public sealed record PolicyFileObservation(string Path, PolicyFileKind Kind)
{
    public ImmutableArray<byte> Bytes { get; init; } = [];
    public ImmutableArray<string> Entries { get; init; } = [];
    public string? Error { get; init; }

    /// <summary>SHA-256 (hex) of a file's bytes, of a directory's listing; empty for a missing or unreadable path.</summary>
    public string Digest => Kind switch
    {
        PolicyFileKind.File => Convert.ToHexStringLower(SHA256.HashData(Bytes.AsSpan())),
        PolicyFileKind.Directory => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Entries)))),
        _ => "",
    };

    /// <summary>Whether the path holds the same thing now as when observed (bytes compared, not times).</summary>
    public bool SameAs(PolicyFileObservation other) =>
        Kind == other.Kind && Error == other.Error
        && Bytes.AsSpan().SequenceEqual(other.Bytes.AsSpan())
        && Entries.SequenceEqual(other.Entries, StringComparer.Ordinal);

    public static PolicyFileObservation Missing(string path) => new(path, PolicyFileKind.Missing);
}
