using System.Text.Json.Serialization;
using Orchestrator.Core.History;

namespace Orchestrator.Core.Paths;

/// <summary>
/// What judging one call observed on the filesystem, in the order it was first observed: gathered for every path and
/// glob the call names before the policy looked at any, so the call can be judged again later — under this policy or
/// another — without the live disk. Bounded: a call that observed more than <see cref="MaxEntries"/> facts or
/// <see cref="MaxCharacters"/> characters records none and <see cref="Complete"/> false, and cannot be re-judged.
/// </summary>
public sealed record FileFacts(IReadOnlyList<FileFact> Entries, bool Complete = true)
{
    public const int MaxEntries = 1024;
    public const int MaxCharacters = 64 * 1024;

    public static FileFacts Empty { get; } = new([]);

    public static FileFacts Overflowed { get; } = new([], Complete: false);

    /// <summary>Whether a secret was masked in any fact (<see cref="ForRecord"/>).</summary>
    [JsonIgnore]
    public bool AnyMasked => Entries.Any(e => e.Masked);

    /// <summary>
    /// The facts as they are written to the history: a path can hold anything a command names, so secrets are masked
    /// the way a recorded call's input is (<see cref="SecretMasker.MaskText"/>), and the facts they were in are marked.
    /// </summary>
    public FileFacts ForRecord()
    {
        if (Entries.Count == 0 || SecretCandidates.Find(string.Join('\n', Entries.Select(Text))).Count == 0) return this;
        return this with { Entries = [.. Entries.Select(MaskFact)] };
    }

    private static string Text(FileFact fact) =>
        fact.Names is null ? $"{fact.Path}\n{fact.Target}\n{fact.Glob}\n{fact.Error}" : $"{fact.Path}\n{fact.Glob}\n{string.Join('\n', fact.Names)}";

    private static FileFact MaskFact(FileFact fact)
    {
        var masked = 0;
        string? Mask(string? text)
        {
            if (text is null) return null;
            var result = SecretMasker.MaskText(text);
            masked += result.Count;
            return result.Text;
        }
        var copy = fact with
        {
            Path = Mask(fact.Path)!,
            Target = Mask(fact.Target),
            Glob = Mask(fact.Glob),
            Names = fact.Names?.Select(n => Mask(n)!).ToArray(),
            Error = Mask(fact.Error),
        };
        return masked == 0 ? fact : copy with { Masked = true };
    }

    public bool Equals(FileFacts? other) =>
        other is not null && Complete == other.Complete && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => HashCode.Combine(Complete, Entries.Count);
}
