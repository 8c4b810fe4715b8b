using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Sandbox;

/// <summary>
/// Derives the sandbox profile from the effective policy: its writable roots, the protected names at the top of each
/// root (whether or not they exist yet) plus configured protected paths and git's real directory, and hidden paths
/// from Read deny rules that name a fixed directory or file (<c>Read(~/.ssh/**)</c>, <c>Read(//etc/shadow)</c>).
/// </summary>
public static class SandboxProfileFactory
{
    public static SandboxProfile FromPolicy(PolicySnapshot policy, SandboxMode mode, NetworkAccess network, ResourceLimits? limits = null)
    {
        var roots = PathAccessPolicy.CanonicalizeRoots(policy.WritableRoots.Select(r => r.Value), policy.ProjectDirectory, policy.HomeDirectory);
        var extra = policy.ProtectedPaths.Select(p => p.Value).ToArray();
        var names = ProtectedNames.Defaults.Concat(extra.Where(p => !p.Contains('/') && p != "~"));
        var set = ProtectedPathSet.Create(roots, extra.Where(p => !p.Contains('/') && p != "~"),
            extra.Where(p => p.Contains('/') || p == "~").Select(p => PathText.ExpandHome(p, policy.HomeDirectory)));

        var protectedPaths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
            foreach (var name in names)
                protectedPaths.Add(Path.Combine(root, name));
        foreach (var location in set.Locations) protectedPaths.Add(location.Path);

        return new SandboxProfile
        {
            Mode = mode,
            Network = network,
            WritableRoots = roots,
            ProtectedPaths = [.. protectedPaths],
            HiddenPaths = HiddenPaths(policy),
            Limits = limits ?? ResourceLimits.Default,
        };
    }

    private static ImmutableArray<string> HiddenPaths(PolicySnapshot policy)
    {
        var hidden = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in policy.DenyRules)
        {
            if (rule.Tool != ToolNames.Read || rule.Specifier is not PathSubject subject) continue;
            var text = subject.Text.EndsWith("/**", StringComparison.Ordinal) ? subject.Text[..^3] : subject.Text;
            if (text.IndexOfAny(['*', '?', '[', '\\']) >= 0) continue;
            string? absolute = text.StartsWith("~/", StringComparison.Ordinal) ? PathText.ExpandHome(text, policy.HomeDirectory)
                : text.StartsWith("//", StringComparison.Ordinal) ? text[1..]
                : null;
            if (absolute is not null && absolute.Length > 1) hidden.Add(Path.GetFullPath(absolute));
        }
        return [.. hidden];
    }
}
