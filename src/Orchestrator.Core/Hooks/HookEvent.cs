namespace Orchestrator.Core.Hooks;

/// <summary>The hook events a settings file may configure (Claude Code's names).</summary>
public enum HookEvent
{
    /// <summary>Before the decision: may deny, ask, allow within the policy's limits, or rewrite the input.</summary>
    PreToolUse,
    /// <summary>After a call that ran and succeeded (exit 0): sees <c>tool_response</c>, may add context or block.</summary>
    PostToolUse,
    /// <summary>When the call would ask a person: may allow or deny in that person's place, never over a deny rule.</summary>
    PermissionRequest,
    /// <summary>After a call that ran and failed (non-zero exit, timeout, tool error): sees <c>tool_response</c> and <c>error</c>.</summary>
    PostToolUseFailure,
}
