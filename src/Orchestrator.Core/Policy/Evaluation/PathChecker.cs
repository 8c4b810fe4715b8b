using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>Checks one path a call reads or writes: Read/Edit rules first, then writable roots and protected paths.</summary>
internal sealed class PathChecker(PolicySnapshot snapshot, RuleMatcher rules, PathAccessPolicy access, IReadOnlyList<string> readableRoots)
{
    public void CheckWrite(FindingCollector findings, string tool, string rawPath, string cwd, EffectiveMode mode, bool decideWhenClean)
    {
        var result = access.CheckWrite(rawPath, cwd);
        var lexical = Lexical(rawPath, cwd);
        var subject = $"write {rawPath}";
        if (EditDenyOrAsk(findings, result.CanonicalPath, lexical, subject)) return;
        var allow = rules.MatchPath(RuleDecision.Allow, tool, result.CanonicalPath, lexical);
        switch (result.Outcome)
        {
            case PathCheckOutcome.Unresolvable:
                findings.Add(Decision.Deny, ReasonClass.UnresolvablePath, result.Reason, subject);
                return;
            case PathCheckOutcome.Protected when allow is null:
                findings.Add(Decision.Ask, ReasonClass.ProtectedPath, result.Reason, subject);
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

    /// <summary>Only the Edit deny/ask rules: for writes of a command an allow rule already covers.</summary>
    public void CheckWriteRulesOnly(FindingCollector findings, string rawPath, string cwd) =>
        EditDenyOrAsk(findings, access.CheckWrite(rawPath, cwd).CanonicalPath, Lexical(rawPath, cwd), $"write {rawPath}");

    private bool EditDenyOrAsk(FindingCollector findings, string canonical, string lexical, string subject) =>
        RuleFindings.Apply(findings, subject, $"writing {canonical}",
            d => rules.MatchPath(d, ToolNames.Edit, canonical, lexical), includeAllow: false) is not null;

    public void CheckRead(FindingCollector findings, string tool, string rawPath, string cwd, EffectiveMode mode, bool decideWhenClean)
    {
        var result = access.CheckRead(rawPath, cwd, readableRoots);
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
        if (!decideWhenClean) return;
        if (RuleFindings.Apply(findings, subject, action, d => d == RuleDecision.Allow ? rules.MatchPath(d, tool, canonical, lexical) : null) is not null)
            return;
        var inside = result.Outcome == PathCheckOutcome.Allowed;
        if (inside || mode.Approval != ApprovalPolicy.Untrusted)
            findings.Add(Decision.Allow, ReasonClass.ReadOnly, inside ? "read inside the workspace" : "read outside the workspace", subject);
        else
            findings.Add(Decision.Ask, ReasonClass.OutsideWorkspace, result.Reason, subject);
    }

    private string Lexical(string rawPath, string cwd)
    {
        var expanded = PathText.ExpandHome(rawPath, snapshot.HomeDirectory);
        try { return Path.GetFullPath(expanded, cwd); }
        catch (ArgumentException) { return expanded; }
    }
}
