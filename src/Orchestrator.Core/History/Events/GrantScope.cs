namespace Orchestrator.Core.History.Events;

/// <summary>
/// How far an approval reaches: this call, later matching calls of the session (and of its declared sub-sessions), a
/// lasting allow rule, or the team — the parent session and every sub-session declared under it, now or later.
/// </summary>
public enum GrantScope
{
    Once,
    Session,
    Always,
    Team,
}
