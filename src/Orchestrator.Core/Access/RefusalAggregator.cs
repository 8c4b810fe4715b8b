using System.Collections.Immutable;

namespace Orchestrator.Core.Access;

/// <summary>
/// Keeps a flood of refusals from flooding the journal: the first refusal of a (who, route, reason) in a window is
/// recorded at once; repeats within the window are only counted and reported with the next one recorded after it.
/// Pure: the caller supplies the time.
/// </summary>
public sealed class RefusalAggregator(TimeSpan window, int maxKeys = 10_000)
{
    private ImmutableDictionary<string, (DateTimeOffset Since, int Suppressed)> _seen = ImmutableDictionary<string, (DateTimeOffset, int)>.Empty;

    /// <summary>Whether to record this refusal now, and how many like it were suppressed since the last record.</summary>
    public (bool Record, int SuppressedBefore) Observe(string who, string route, string reason, DateTimeOffset now)
    {
        var key = string.Join('\u001f', who, route, reason);
        if (_seen.TryGetValue(key, out var seen) && now - seen.Since < window)
        {
            _seen = _seen.SetItem(key, (seen.Since, seen.Suppressed + 1));
            return (false, 0);
        }
        if (_seen.Count >= maxKeys) _seen = _seen.RemoveRange(_seen.Where(p => now - p.Value.Since >= window).Select(p => p.Key));
        if (_seen.Count >= maxKeys) _seen = _seen.Clear();
        _seen = _seen.SetItem(key, (now, 0));
        return (true, seen.Suppressed);
    }
}
