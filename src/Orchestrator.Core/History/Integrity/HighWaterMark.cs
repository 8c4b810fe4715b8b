using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// The furthest each persistence id's journal is known to have reached: its last sequence number and the seal of that
/// event. Kept apart from the database (DATA/high-water-mark), so a database that went back in time — restored from
/// an old copy, copied without its <c>-wal</c>, emptied — is told apart from one that is merely new.
/// </summary>
public sealed record HighWaterMark(ImmutableSortedDictionary<string, HighWaterMark.Mark> Marks)
{
    public static HighWaterMark Empty { get; } = new(ImmutableSortedDictionary<string, Mark>.Empty.WithComparers(StringComparer.Ordinal));

    public sealed record Mark(long SequenceNr, string Head);

    public long TotalEvents => Marks.Values.Sum(m => m.SequenceNr);

    public HighWaterMark With(string persistenceId, long sequenceNr, ReadOnlySpan<byte> head) =>
        Marks.TryGetValue(persistenceId, out var known) && known.SequenceNr >= sequenceNr
            ? this
            : new(Marks.SetItem(persistenceId, new Mark(sequenceNr, Convert.ToHexStringLower(head))));

    /// <summary>Every advance at once (one builder over the tree, not a copy of its path per advance); behind marks are ignored.</summary>
    public HighWaterMark WithAll(IEnumerable<KeyValuePair<string, (long SequenceNr, byte[] Head)>> advances)
    {
        ImmutableSortedDictionary<string, Mark>.Builder? builder = null;
        foreach (var (id, (sequenceNr, head)) in advances)
        {
            if (Marks.TryGetValue(id, out var known) && known.SequenceNr >= sequenceNr) continue;
            (builder ??= Marks.ToBuilder())[id] = new Mark(sequenceNr, Convert.ToHexStringLower(head));
        }
        return builder is null ? this : new(builder.ToImmutable());
    }

    /// <summary>
    /// The first persistence id the database holds fewer events of than this mark (<paramref name="stored"/>: the
    /// highest sequence number stored per persistence id), or null when the database is not behind.
    /// </summary>
    public Rewound? FirstBehind(IReadOnlyDictionary<string, long> stored)
    {
        foreach (var (id, mark) in Marks)
        {
            var have = stored.TryGetValue(id, out var n) ? n : 0;
            if (have < mark.SequenceNr) return new Rewound(id, mark.SequenceNr, have);
        }
        return null;
    }

    public string Format() => JsonSerializer.Serialize(new Stored(1, Marks), Json);

    /// <exception cref="FormatException">The text is not a high-water mark file.</exception>
    public static HighWaterMark Parse(string text)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(text, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a high-water mark file: {e.Message}", e);
        }
        if (stored is not { Version: 1, Sessions: not null })
            throw new FormatException("not a high-water mark file (version 1 expected)");
        return new(stored.Sessions.WithComparers(StringComparer.Ordinal));
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record Stored(int Version, ImmutableSortedDictionary<string, Mark> Sessions);
}

/// <summary>A persistence id whose stored events end before its high-water mark.</summary>
public sealed record Rewound(string PersistenceId, long MarkedSequenceNr, long StoredSequenceNr);
