using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Listing;

/// <summary>
/// Which calls a history listing shows (every criterion given must hold): agent, session, workspace, received at or
/// after <see cref="From"/> and before <see cref="To"/>, decision, outcome (<c>open</c>: not ended yet), tool, and
/// <see cref="Rule"/> — text found in the deciding rule (ordinal, case-insensitive).
/// </summary>
public sealed record HistoryFilter
{
    public static readonly HistoryFilter All = new();

    public string? Agent { get; init; }
    public string? Session { get; init; }
    public string? Workspace { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public Decision? Decision { get; init; }
    public CallOutcome? Outcome { get; init; }
    public bool OnlyOpen { get; init; }
    public string? Tool { get; init; }
    public string? Rule { get; init; }

    public bool Matches(CallSummary call) =>
        (Agent is null || call.Agent == Agent)
        && (Session is null || call.Session == Session)
        && (Workspace is null || call.Workspace == Workspace)
        && (From is null || call.ReceivedAt >= From)
        && (To is null || call.ReceivedAt < To)
        && (Tool is null || string.Equals(call.Tool, Tool, StringComparison.OrdinalIgnoreCase))
        && (Decision is null || call.Decision == Decision)
        && (Outcome is null || call.Outcome == Outcome)
        && (!OnlyOpen || call.Outcome is null)
        && (Rule is null || (call.Rule?.Contains(Rule, StringComparison.OrdinalIgnoreCase) ?? false));
}
