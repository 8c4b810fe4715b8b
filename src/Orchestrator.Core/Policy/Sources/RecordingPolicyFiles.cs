namespace Orchestrator.Core.Policy.Sources;

/// <summary>Reads through another <see cref="IPolicyFiles"/> and keeps every observation, in order (one per path).</summary>
public sealed class RecordingPolicyFiles(IPolicyFiles inner) : IPolicyFiles
{
    private readonly List<PolicyFileObservation> _observations = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<PolicyFileObservation> Observations
    {
        get { lock (_lock) return [.. _observations]; }
    }

    public PolicyFileObservation Observe(string path)
    {
        lock (_lock)
        {
            // The loader may look at one path twice (exists, then read): the first look is the one it acted on.
            if (_observations.Find(o => o.Path == path) is { } seen) return seen;
            var observed = inner.Observe(path);
            _observations.Add(observed);
            return observed;
        }
    }
}
