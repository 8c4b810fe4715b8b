namespace Orchestrator.Core.History.Events;

/// <summary>How far an approval reaches: this call, later matching calls of the session, or a lasting allow rule.</summary>
public enum GrantScope
{
    Once,
    Session,
    Always,
}
