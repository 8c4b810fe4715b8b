using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Sandbox;

/// <summary>
/// What the sandbox hides from reading, from the policy: every path a Read deny rule names (a pattern without
/// wildcards is a fixed path; one with wildcards is resolved when a command starts), and the default deny-read set
/// (<see cref="PolicySnapshot.SensitiveReadPaths"/>) unless a Read allow rule overrides it. Only a rule whose literal
/// part reaches the sensitive path overrides it (<see cref="PathPattern.NamesPathAtOrBelow"/>; a bare wildcard never
/// does): one naming the path itself (<c>Read(~/.ssh/**)</c>) uncovers it whole, one naming something inside
/// (<c>Read(~/.ssh/known_hosts)</c>, <c>Read(~/.ssh/*.pub)</c>) uncovers only that.
/// </summary>
public sealed record HiddenReads(
    ImmutableArray<string> Paths,
    ImmutableArray<PathPattern> Patterns,
    ImmutableArray<string> ExposedPaths,
    ImmutableArray<PathPattern> ExposedPatterns)
{
    public static HiddenReads From(PolicySnapshot policy)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var patterns = new List<PathPattern>();
        foreach (var pattern in ReadPatterns(policy.DenyRules))
        {
            if (pattern.HasWildcards) patterns.Add(pattern);
            else paths.UnionWith(pattern.Anchors.Where(a => a.Length > 1));
        }
        var denied = paths.ToArray();
        // Deny beats allow: nothing a deny rule names comes back through an allow rule.
        bool Denied(string path) =>
            denied.Any(d => PathText.IsSameOrUnder(path, d, StringComparison.Ordinal)) || patterns.Any(p => p.Matches(path));

        var allows = ReadPatterns(policy.AllowRules).ToList();
        var exposed = new SortedSet<string>(StringComparer.Ordinal);
        var exposedPatterns = new List<PathPattern>();
        foreach (var sensitive in policy.SensitiveReadPaths)
        {
            var overriding = allows.Where(a => a.NamesPathAtOrBelow(sensitive.Path)).ToList();
            if (overriding.Any(a => !a.HasWildcards && a.Anchors.Contains(sensitive.Path)) && !Denied(sensitive.Path)) continue; // uncovered whole
            paths.Add(sensitive.Path);
            foreach (var allow in overriding)
            {
                if (allow.HasWildcards) exposedPatterns.Add(allow);
                else exposed.UnionWith(allow.Anchors.Where(a =>
                    PathText.IsSameOrUnder(a, sensitive.Path, StringComparison.Ordinal) && a != sensitive.Path && !Denied(a)));
            }
        }
        return new HiddenReads([.. paths], [.. patterns.DistinctBy(p => p.Spec)], [.. exposed], [.. exposedPatterns.DistinctBy(p => p.Spec)]);
    }

    private static IEnumerable<PathPattern> ReadPatterns(IEnumerable<PermissionRule> rules) =>
        rules.Where(r => r.Tool == ToolNames.Read && r.Specifier is PathSubject).Select(r => ((PathSubject)r.Specifier).Pattern);
}
