namespace Orchestrator.Core.History.Events;

/// <summary>
/// An HTTP request was refused for who sent it (401, 403, 421 or 415). <see cref="Who"/> is the authenticated name, or
/// what is known of an unauthenticated caller; <see cref="SuppressedBefore"/> counts the identical refusals that were
/// only counted since the last one recorded (so a flood cannot flood the journal).
/// </summary>
[EventManifest("request-refused.v1")]
public sealed record RequestRefused(
    string Who,
    string Route,
    int Status,
    string Reason,
    int SuppressedBefore,
    DateTimeOffset At) : HistoryEvent;
