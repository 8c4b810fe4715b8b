using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Access;

// Commands

/// <summary>A request was refused; recorded unless it repeats one recorded within the aggregation window. Not answered.</summary>
public sealed record RecordRefusal(string Who, string Route, int Status, string Reason, DateTimeOffset At);

// Queries

/// <summary>Answered with <see cref="RecentRefusals"/>: the latest recorded refusals, newest first.</summary>
public sealed record ListRefusals(int Limit = 200);

public sealed record RecentRefusals(IReadOnlyList<RequestRefused> Refusals);
