using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Sandbox;

/// <summary>
/// Derives the sandbox profile from the effective policy: its writable roots; the protected names (matched at any depth
/// by the Linux sandbox, at the top of each root by the others) plus configured protected paths and git's real
/// directory; and what is hidden from reading (<see cref="HiddenReads"/>).
/// </summary>
public static class SandboxProfileFactory
{
    public static SandboxProfile FromPolicy(PolicySnapshot policy, SandboxMode mode, NetworkAccess network, ResourceLimits? limits = null)
    {
        var roots = PathAccessPolicy.CanonicalizeRoots(policy.WritableRoots.Select(r => r.Value), policy.ProjectDirectory, policy.HomeDirectory);
        var extra = policy.ProtectedPaths.Select(p => p.Value).ToArray();
        var extraNames = extra.Where(p => !p.Contains('/') && p != "~").ToArray();
        var names = ProtectedNames.Defaults.Concat(extraNames).Distinct(StringComparer.Ordinal).ToArray();
        var set = ProtectedPathSet.Create(roots, extraNames,
            extra.Where(p => p.Contains('/') || p == "~").Select(p => PathText.ExpandHome(p, policy.HomeDirectory)));

        var protectedPaths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
            foreach (var name in names)
                protectedPaths.Add(Path.Combine(root, name));
        foreach (var location in set.Locations) protectedPaths.Add(location.Path);

        var hidden = HiddenReads.From(policy);
        return new SandboxProfile
        {
            Mode = mode,
            Network = network,
            WritableRoots = roots,
            ProtectedPaths = [.. protectedPaths],
            ProtectedNames = [.. names],
            ProtectedLocations = [.. set.Locations.Select(l => l.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            HiddenPaths = hidden.Paths,
            HiddenPatterns = hidden.Patterns,
            ExposedPaths = hidden.ExposedPaths,
            ExposedPatterns = hidden.ExposedPatterns,
            Limits = limits ?? ResourceLimits.Default,
        };
    }
}
