using System.Text.Json.Serialization;

namespace Orchestrator.Core.Paths;

/// <summary>
/// One answer the filesystem gave while a call was judged. <see cref="Masked"/> is set when a secret in one of its
/// strings was masked for the record: such a fact is shown, never used to answer a re-evaluation.
/// </summary>
public sealed record FileFact(
    string Path,
    FileFactKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Target = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Glob = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Names = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Masked = false)
{
    public static FileFact Probed(string path, FileEntry entry) =>
        new(path, entry.Kind switch
        {
            FileEntryKind.Missing => FileFactKind.Missing,
            FileEntryKind.Link => FileFactKind.Link,
            _ => FileFactKind.Other,
        }, entry.Target);

    /// <summary>The probe answer this fact records (<see cref="FileFactKind.Unreadable"/> throws the recorded error).</summary>
    public FileEntry AsEntry() => Kind switch
    {
        FileFactKind.Missing => FileEntry.Missing,
        FileFactKind.Link when Target is { } target => new FileEntry(FileEntryKind.Link, target),
        FileFactKind.Other => FileEntry.Other,
        FileFactKind.Unreadable => throw new IOException(Error),
        _ => throw new FactNotRecordedException($"the recorded fact about {Path} is not a probe answer ({Kind})"),
    };

    /// <summary>How many characters the fact holds (for <see cref="FileFacts.MaxCharacters"/>).</summary>
    [JsonIgnore]
    public int Size => Path.Length + (Target?.Length ?? 0) + (Glob?.Length ?? 0) + (Error?.Length ?? 0)
        + (Names?.Sum(n => n.Length + 1) ?? 0);

    public bool Equals(FileFact? other) =>
        other is not null && Path == other.Path && Kind == other.Kind && Target == other.Target && Glob == other.Glob
        && Error == other.Error && Masked == other.Masked
        && (Names is null ? other.Names is null : other.Names is not null && Names.SequenceEqual(other.Names));

    public override int GetHashCode() => HashCode.Combine(Path, Kind, Target, Glob);
}
