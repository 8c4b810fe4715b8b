namespace Orchestrator.Core.Policy.Sources;

/// <summary>
/// The policy files as they were recorded: the disk is never touched. A path that was not recorded is missing (the
/// loader looks at the same paths in the same order given the same options and the same files, so it never asks for one).
/// </summary>
public sealed class RecordedPolicyFiles(IEnumerable<PolicyFileObservation> observations) : IPolicyFiles
{
    private readonly Dictionary<string, PolicyFileObservation> _byPath =
        observations.GroupBy(o => o.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public PolicyFileObservation Observe(string path) => _byPath.GetValueOrDefault(path) ?? PolicyFileObservation.Missing(path);
}
