using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Sandbox.Linux.Mounts;
using Orchestrator.Sandbox.Linux.Workspace;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// The mounts one run needs, decided before it starts (pure; the helper makes them): protected paths that exist —
/// at any depth of the writable roots — bound read-only over themselves, hidden paths covered, exposed paths inside
/// hidden directories bound back, and which directories below /tmp to keep visible once /tmp is private.
/// <see cref="ProtectedPaths"/> and <see cref="HiddenPaths"/> are the same decisions for the Landlock-only fallback.
/// </summary>
public sealed record MountPlan(
    ImmutableArray<MountOp> Ops,
    ImmutableArray<string> KeepWritable,
    ImmutableArray<string> KeepReadOnly,
    ImmutableArray<string> ProtectedPaths,
    ImmutableArray<string> HiddenPaths,
    ImmutableArray<string> Notes)
{
    private const string Tmp = "/tmp";

    /// <param name="existingProtected">Protected entries found below the writable roots (any depth).</param>
    /// <param name="hiddenMatches">Existing paths matched by the profile's Read-deny globs.</param>
    /// <param name="exposed">Paths inside hidden directories to bind back (the profile's and its globs' matches).</param>
    /// <param name="resolve">Where a path finally leads (symbolic links followed), or null when it leads nowhere.</param>
    public static MountPlan For(SandboxProfile profile, string workingDirectory, IEnumerable<ProtectedEntry> existingProtected,
        IEnumerable<string> hiddenMatches, IEnumerable<string> exposed, Func<string, string?> resolve)
    {
        var notes = new List<string>();
        var writable = profile.Mode == SandboxMode.WorkspaceWrite ? profile.WritableRoots : [];
        bool UnderWritable(string path) => writable.Any(r => Under(path, r));

        var protect = new SortedSet<string>(StringComparer.Ordinal);
        if (profile.Mode == SandboxMode.WorkspaceWrite)
        {
            foreach (var entry in existingProtected)
            {
                // A link is protected where it leads; one leading outside the writable roots leads somewhere read-only anyway.
                var target = entry.Kind == EntryKind.SymbolicLink ? entry.LinkTarget : entry.Path;
                if (target is not null && UnderWritable(target)) protect.Add(target);
            }
            foreach (var location in profile.ProtectedLocations.Where(UnderWritable)) protect.Add(location);
        }

        // Never hide what the command works in: a hidden directory holding a writable root or the working directory stays visible.
        var visible = profile.WritableRoots.Append(workingDirectory).ToArray();
        var hide = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in profile.HiddenPaths.Concat(hiddenMatches).Distinct(StringComparer.Ordinal))
        {
            var target = resolve(path) ?? path;
            if (visible.FirstOrDefault(v => Under(v, target) || v == target) is { } holder)
            {
                notes.Add($"{path} is not hidden: it holds {holder}, which the command works in");
                continue;
            }
            hide.Add(target);
        }

        var ops = new List<MountOp>();
        foreach (var path in hide.Where(h => !hide.Any(o => Under(h, o))))
            ops.Add(new MountOp(MountOpKind.Hide, path));
        var hidden = ops.Select(o => o.Path).ToArray();
        foreach (var path in protect.Where(p => !protect.Any(o => Under(p, o)) && !hidden.Any(h => Under(p, h) || p == h)))
            ops.Add(new MountOp(MountOpKind.Protect, path));
        foreach (var path in exposed.Distinct(StringComparer.Ordinal))
        {
            // Only inside a hidden directory, and never what a Read deny rule names itself.
            var deniedAgain = profile.HiddenPatterns.Any(p => p.Matches(path)) || hidden.Contains(path);
            if (!deniedAgain && hidden.Any(h => Under(path, h))) ops.Add(new MountOp(MountOpKind.Expose, path));
        }

        var keepWritable = writable.Where(r => Under(r, Tmp)).ToImmutableArray();
        var keepReadOnly = profile.WritableRoots.Append(workingDirectory)
            .Where(p => Under(p, Tmp) && !keepWritable.Any(w => Under(p, w) || p == w))
            .Distinct(StringComparer.Ordinal).ToImmutableArray();

        return new MountPlan(
            [.. ops.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Kind)],
            keepWritable, keepReadOnly,
            [.. ops.Where(o => o.Kind == MountOpKind.Protect).Select(o => o.Path)],
            [.. hidden],
            [.. notes]);
    }

    private static bool Under(string path, string directory) =>
        path.Length > directory.Length && PathText.IsSameOrUnder(path, directory, StringComparison.Ordinal);
}
