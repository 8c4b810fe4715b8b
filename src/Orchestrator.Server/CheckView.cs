using Orchestrator.Actors.Checking;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Server;

/// <summary>
/// The answer of <c>POST /v1/check</c> (and what <c>orchestrator check</c> prints): the verdict as before (decision,
/// reason class, reason, rule as text, classifier reason, mode as text, policy version), plus the rule and the mode as
/// objects, and where it was recorded (<see cref="CallId"/>, session, agent, outcome) — or <see cref="Recorded"/> false
/// with every finding behind it for an unrecorded check.
/// </summary>
public sealed record CheckView(
    string Decision, string ReasonClass, string Reason, string? Rule, string? ClassifierReason, string Mode, string PolicyVersion,
    bool Recorded, string? CallId, string? SessionId, string? AgentId, string? Status, string? Outcome, string? CoveredByGrant,
    RuleView? MatchedRule, ModeView EffectiveMode, IReadOnlyList<FindingView>? Findings)
{
    /// <summary>A check recorded as a decide-only call; its verdict is the recorded one.</summary>
    public static CheckView? FromRecorded(CallState state) => state.Decided is not { } decided ? null
        : From(decided.Verdict, recorded: true, state.Call?.Id.Value ?? state.CallId.Value, state.Call?.Session.Value, state.Call?.Agent.Value,
            Names.Of(state.Status), state.Outcome is { } o ? Names.Of(o) : null, decided.CoveredByGrant?.Value, findings: null);

    /// <summary>A check decided without the journal, with the policy's findings.</summary>
    public static CheckView FromUnrecorded(CheckedCall check) =>
        From(check.Verdict, recorded: false, null, null, null, null, null, check.CoveredByGrant?.Value,
            [.. check.PolicyVerdict.Findings.Select(FindingView.From)]);

    private static CheckView From(VerdictSummary v, bool recorded, string? callId, string? session, string? agent, string? status,
        string? outcome, string? grant, IReadOnlyList<FindingView>? findings) => new(
        Names.Of(v.Decision), v.ReasonClass.Name(), v.Reason, v.Rule is { } r ? $"{r.Decision.ToString().ToLowerInvariant()} {r.Text} ({r.Layer.Name()} {r.Location})" : null,
        v.ClassifierReason, ModeText(v.Mode), v.PolicyVersion, recorded, callId, session, agent, status, outcome, grant,
        v.Rule is { } rule ? RuleView.From(rule) : null, ModeView.From(v.Mode), findings);

    private static string ModeText(RecordedMode m) => new EffectiveMode(m.Sandbox, m.Approval, m.Network, m.AcceptEdits, m.Sandboxed).ToString();
}

public sealed record RuleView(string Text, string Decision, string Layer, string File, int Line, int Column)
{
    public static RuleView From(MatchedRule r) => new(r.Text, r.Decision.ToString().ToLowerInvariant(), r.Layer.Name(), r.File, r.Line, r.Column);

    public static RuleView From(Core.Policy.Rules.PermissionRule r) => new(r.Text, r.Decision.ToString().ToLowerInvariant(),
        r.Origin.Layer.Name(), r.Origin.Location.File, r.Origin.Location.Line, r.Origin.Location.Column);
}

public sealed record ModeView(string Sandbox, string Approval, string Network, bool AcceptEdits, bool Sandboxed)
{
    public static ModeView From(RecordedMode m) =>
        new(ModeNames.Name(m.Sandbox), ModeNames.Name(m.Approval), ModeNames.Name(m.Network), m.AcceptEdits, m.Sandboxed);
}

public sealed record FindingView(string Decision, string ReasonClass, string Subject, string Message, RuleView? Rule)
{
    public static FindingView From(Finding f) =>
        new(Names.Of(f.Decision), f.Class.Name(), f.Subject, f.Message, f.Rule is { } r ? RuleView.From(r) : null);
}
