namespace Orchestrator.Core.Hooks;

/// <summary>What a hook failure (bad exit, timeout, unreadable output) means: deny the call, or raise no objection.</summary>
public enum HookFailureMode
{
    Deny,
    Ignore,
}
