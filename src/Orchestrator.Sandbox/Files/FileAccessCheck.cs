using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Sandbox.Files;

/// <summary>
/// Where a structured file tool may read or write, decided on the path as it resolves at run time and exactly as the
/// sandbox profile of a Bash command of the same call decides it: reads anywhere but the hidden paths (Read deny rules
/// and the default deny-read set, minus what an allow rule exposes); writes only in workspace-write (inside the
/// writable roots, never a protected path, existing or not) or danger-full-access, never in read-only; an Edit deny
/// rule refuses a write in every mode. The answer names the canonical path and the directory it is opened beneath
/// (its writable root, else <c>/</c>), so <see cref="BeneathOpen"/> opens exactly the path that was checked. With the
/// facts the call was judged on (<see cref="ToolRun.JudgedFacts"/>) the path must also resolve now to where it resolved
/// then: a link changed in between refuses the call rather than leading it to a path no rule looked at.
/// </summary>
public static class FileAccessCheck
{
    /// <summary>As <see cref="ForRead(string, ToolRun)"/>, held to the profile alone (no judged facts to match).</summary>
    public static FileCheck ForRead(string filePath, SandboxProfile profile, PolicySnapshot policy) => ForRead(filePath, profile, policy, null);

    public static FileCheck ForRead(string filePath, ToolRun run) => ForRead(filePath, run.Profile, run.Policy, run);

    private static FileCheck ForRead(string filePath, SandboxProfile profile, PolicySnapshot policy, ToolRun? run)
    {
        if (Resolve(filePath, profile, policy) is not { } canonical) return Unresolved(filePath);
        if (canonical.Problem is { } problem) return FileCheck.Refused($"{filePath}: {problem}");
        var path = canonical.FullPath;
        if (run is not null && Moved(filePath, path, run) is { } moved) return FileCheck.Refused(moved);
        if (IsHidden(path, profile))
            return FileCheck.Refused($"{path} is hidden by the policy (a Read deny rule or the default deny-read set); it is never read without a rule naming it");
        return FileCheck.Allowed(path, RootOf(path, profile) ?? "/");
    }

    public static FileCheck ForWrite(string filePath, ToolRun run)
    {
        var (profile, policy) = (run.Profile, run.Policy);
        if (profile.Mode == SandboxMode.ReadOnly) return FileCheck.Refused("the read-only mode allows no writes");
        if (Resolve(filePath, profile, policy) is not { } canonical) return Unresolved(filePath);
        if (canonical.Problem is { } problem) return FileCheck.Refused($"{filePath}: {problem}");
        var path = canonical.FullPath;
        if (Moved(filePath, path, run) is { } moved) return FileCheck.Refused(moved);
        if (EditDenied(path, policy) is { } rule) return FileCheck.Refused($"writing {path} is denied by {rule}");
        var root = RootOf(path, profile);
        if (profile.Mode == SandboxMode.DangerFullAccess) return FileCheck.Allowed(path, root ?? "/");
        if (root is null) return FileCheck.Refused($"{path} is outside the writable roots ({string.Join(", ", profile.WritableRoots)})");
        var protectedPaths = ProtectedPathSet.Create(profile.WritableRoots, profile.ProtectedNames, profile.ProtectedLocations);
        if (protectedPaths.IsProtected(path, out var reason) || profile.ProtectedPaths.Any(p => PathText.IsSameOrUnder(path, p, StringComparison.Ordinal)))
            return FileCheck.Refused($"{path} is a protected path and stays read-only{(reason.Length > 0 ? $" ({reason})" : "")}");
        return FileCheck.Allowed(path, root);
    }

    /// <summary>Whether a Bash command of the same call could not read <paramref name="path"/> (its sandbox hides it).</summary>
    public static bool IsHidden(string path, SandboxProfile profile)
    {
        var hidden = profile.HiddenPaths.Any(h => PathText.IsSameOrUnder(path, h, StringComparison.Ordinal)) || profile.HiddenPatterns.Any(p => p.Matches(path));
        if (!hidden) return false;
        var exposed = profile.ExposedPaths.Any(e => PathText.IsSameOrUnder(path, e, StringComparison.Ordinal)) || profile.ExposedPatterns.Any(p => p.Matches(path));
        return !exposed;
    }

    private static CanonicalPath? Resolve(string filePath, SandboxProfile profile, PolicySnapshot policy)
    {
        if (!Path.IsPathFullyQualified(filePath) || filePath.Contains('\0')) return null;
        return PathCanonicalizer.Canonicalize(filePath, "/", policy.HomeDirectory, profile.WritableRoots);
    }

    /// <summary>Why the path does not resolve now as the facts it was judged on say it did; null when it does (or nothing was recorded).</summary>
    private static string? Moved(string filePath, string now, ToolRun run)
    {
        if (run.JudgedFacts is not { } facts) return null;
        CanonicalPath judged;
        try
        {
            judged = PathCanonicalizer.Canonicalize(filePath, run.Call.WorkingDirectory, run.Policy.HomeDirectory, run.Profile.WritableRoots, new RecordedFileView(facts));
        }
        catch (FactNotRecordedException e)
        {
            return $"{filePath}: where it resolved when the call was judged is not recorded ({e.Message}); nothing was done";
        }
        if (judged.Problem is null && judged.FullPath == now) return null;
        return $"{filePath} resolves to {now} now but resolved to {judged.FullPath} when the call was judged (a link changed in between); nothing was done — submit it again";
    }

    private static FileCheck Unresolved(string filePath) => FileCheck.Refused($"file_path must be an absolute path without NUL characters, not '{filePath}'");

    private static string? RootOf(string path, SandboxProfile profile) =>
        profile.WritableRoots.Where(r => PathText.IsSameOrUnder(path, r, StringComparison.Ordinal)).OrderByDescending(r => r.Length).FirstOrDefault();

    private static string? EditDenied(string path, PolicySnapshot policy)
    {
        foreach (var rule in policy.DenyRules)
            if (rule.Tool == ToolNames.Edit && rule.Specifier is PathSubject subject && subject.Pattern.Matches(path))
                return $"the deny rule Edit({subject.Text})";
        return null;
    }
}

/// <summary>
/// What <see cref="FileAccessCheck"/> answered: the canonical <see cref="Path"/> and the directory (<see cref="Base"/>)
/// it is opened beneath, or why not (<see cref="Refusal"/>).
/// </summary>
public sealed record FileCheck(string? Path, string? Base, string? Refusal)
{
    public static FileCheck Allowed(string path, string @base) => new(path, @base, null);

    public static FileCheck Refused(string reason) => new(null, null, reason);

    /// <summary>The parent directory of <see cref="Path"/> relative to <see cref="Base"/> ("" when it is the base itself).</summary>
    public string ParentRelative => System.IO.Path.GetRelativePath(Base!, System.IO.Path.GetDirectoryName(Path!) ?? "/") is var relative && relative == "." ? "" : relative;

    public string Name => System.IO.Path.GetFileName(Path!);
}
