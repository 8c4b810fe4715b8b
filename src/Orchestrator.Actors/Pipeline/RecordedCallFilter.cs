using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The ids recorded before this process started, as 64-bit hashes: "no" is certain (a new id is claimed without asking
/// the call directory), "maybe" (a recorded id, or a rare collision) sends the claim to the directory. Built once at
/// start from <see cref="Journal.ICallDirectory.AllCallIdsAsync"/>; read-only afterwards, so it is shared freely.
/// </summary>
public sealed class RecordedCallFilter
{
    private readonly HashSet<ulong> _hashes;

    private RecordedCallFilter(HashSet<ulong> hashes) => _hashes = hashes;

    public int Count => _hashes.Count;

    public bool MayContain(CallId id) => _hashes.Contains(Hash(id));

    public static async Task<RecordedCallFilter> LoadAsync(IAsyncEnumerable<CallId> recorded, CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<ulong>();
        await foreach (var id in recorded.WithCancellation(cancellationToken).ConfigureAwait(false)) hashes.Add(Hash(id));
        return new RecordedCallFilter(hashes);
    }

    /// <summary>FNV-1a over the id's characters: fast, stable; a collision only costs a directory lookup.</summary>
    internal static ulong Hash(CallId id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id.Value)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }
}
