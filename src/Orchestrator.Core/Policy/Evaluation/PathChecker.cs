using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Checks one path a call reads or writes: Read/Edit deny and ask rules first, then protected paths, the default
/// deny-read set, and the writable roots. Only a Read/Edit/Write rule that names a protected or sensitive path itself
/// (<see cref="PathPattern.NamesPathAtOrBelow"/>) lifts that protection; a wildcard or a Bash rule never does.
/// </summary>
internal sealed class PathChecker(PolicySnapshot snapshot, RuleMatcher rules, PathAccessPolicy access, IReadOnlyList<string> readableRoots)
{
    /// <summary>The sensitive paths that lie inside a writable root or hold one: the only ones a path inside the roots can be in.</summary>
    private readonly SensitivePath[] _sensitiveNearRoots = snapshot.SensitiveReadPaths
        .Where(entry => access.WritableRoots.Any(root => PathText.IsSameOrUnder(entry.Path, root, StringComparison.Ordinal)
            || PathText.IsSameOrUnder(root, entry.Path, StringComparison.Ordinal)))
        .ToArray();

    /// <param name="tool">The tool whose path rules apply: the file tool itself, or <see cref="ToolNames.Edit"/> for a
    /// file a shell command writes.</param>
    /// <param name="decideWhenClean">Add the workspace-write decision when nothing else decided (file tools); shell
    /// commands get theirs from the command's class.</param>
    public void CheckWrite(FindingCollector findings, IFileView files, string tool, string rawPath, string cwd, EffectiveMode mode, bool decideWhenClean)
    {
        var result = access.CheckWrite(rawPath, cwd, files);
        var lexical = Lexical(rawPath, cwd);
        var subject = $"write {rawPath}";
        if (EditDenyOrAsk(findings, result.CanonicalPath, lexical, subject)) return;
        var allow = rules.MatchPath(RuleDecision.Allow, tool, result.CanonicalPath, lexical);
        switch (result.Outcome)
        {
            case PathCheckOutcome.Unresolvable:
                findings.Add(Decision.Deny, ReasonClass.UnresolvablePath, result.Reason, subject);
                return;
            case PathCheckOutcome.Protected when (allow = rules.MatchPathNaming(RuleDecision.Allow, tool, result.CanonicalPath, lexical, result.ProtectedPath!)) is null:
                findings.Add(Decision.Ask, ReasonClass.ProtectedPath,
                    $"{result.Reason}; only a rule naming {result.ProtectedPath} itself can allow writing it", subject);
                return;
            case PathCheckOutcome.OutsideRoots when allow is null && mode.Sandbox != SandboxMode.DangerFullAccess:
                findings.Add(Decision.Ask, ReasonClass.OutsideWorkspace, result.Reason, subject);
                return;
        }
        if (allow is not null)
        {
            findings.Add(Decision.Allow, ReasonClass.RuleAllow, $"writing {result.CanonicalPath} is allowed", subject, allow);
            return;
        }
        if (mode.Sandbox == SandboxMode.ReadOnly && !PathAccessPolicy.IsDeviceSink(rawPath))
        {
            findings.Add(Decision.Ask, ReasonClass.ModeForbidsWrite, "the read-only mode allows no writes", subject);
            return;
        }
        if (!decideWhenClean) return;
        var autoAccept = mode.Approval != ApprovalPolicy.Untrusted || mode.AcceptEdits;
        findings.Add(autoAccept ? Decision.Allow : Decision.Ask, ReasonClass.WorkspaceWrite,
            autoAccept ? "edit inside the writable roots" : "edits need approval under the untrusted approval policy", subject);
    }

    private bool EditDenyOrAsk(FindingCollector findings, string canonical, string lexical, string subject) =>
        RuleFindings.Apply(findings, subject, $"writing {canonical}",
            d => rules.MatchPath(d, ToolNames.Edit, canonical, lexical), includeAllow: false) is not null;

    public void CheckRead(FindingCollector findings, IFileView files, string tool, string rawPath, string cwd, EffectiveMode mode, bool decideWhenClean)
    {
        var result = access.CheckRead(rawPath, cwd, readableRoots, files);
        var subject = $"read {rawPath}";
        if (result.Outcome == PathCheckOutcome.Unresolvable)
        {
            findings.Add(Decision.Deny, ReasonClass.UnresolvablePath, result.Reason, subject);
            return;
        }
        var lexical = Lexical(rawPath, cwd);
        var canonical = result.CanonicalPath;
        var action = $"reading {canonical}";
        if (RuleFindings.Apply(findings, subject, action, d => rules.MatchPath(d, ToolNames.Read, canonical, lexical), includeAllow: false) is not null)
            return;
        if (Sensitive(canonical, lexical) is { } sensitive
            && rules.MatchPathNaming(RuleDecision.Allow, ToolNames.Read, canonical, lexical, sensitive.Path) is null)
        {
            findings.Add(Decision.Deny, ReasonClass.SensitivePath,
                $"{sensitive.Path} holds {sensitive.Why}, which is never read without a rule naming it", subject);
            return;
        }
        if (!decideWhenClean) return;
        if (RuleFindings.Apply(findings, subject, action, d => d == RuleDecision.Allow ? rules.MatchPath(d, tool, canonical, lexical) : null) is not null)
            return;
        var inside = result.Outcome == PathCheckOutcome.Allowed;
        if (inside || mode.Approval != ApprovalPolicy.Untrusted)
            findings.Add(Decision.Allow, ReasonClass.ReadOnly, inside ? "read inside the workspace" : "read outside the workspace", subject);
        else
            findings.Add(Decision.Ask, ReasonClass.OutsideWorkspace, result.Reason, subject);
    }

    /// <summary>The default deny-read entry the path lies in, by its canonical or its written spelling.</summary>
    private SensitivePath? Sensitive(string canonical, string lexical)
    {
        var candidates = InsideRoots(canonical) && InsideRoots(lexical) ? _sensitiveNearRoots : snapshot.SensitiveReadPaths;
        foreach (var entry in candidates)
            if (PathText.IsSameOrUnder(canonical, entry.Path, StringComparison.Ordinal) || PathText.IsSameOrUnder(lexical, entry.Path, StringComparison.Ordinal))
                return entry;
        return null;
    }

    private bool InsideRoots(string path)
    {
        foreach (var root in access.WritableRoots)
            if (PathText.IsSameOrUnder(path, root, StringComparison.Ordinal)) return true;
        return false;
    }

    private string Lexical(string rawPath, string cwd)
    {
        var expanded = PathText.ExpandHome(rawPath, snapshot.HomeDirectory);
        try { return PathText.NormalizeLexically(Path.GetFullPath(expanded, cwd)); }
        catch (ArgumentException) { return expanded; }
    }
}
