namespace Orchestrator.Core.Hooks;

/// <summary>The hook events a settings file may configure (Claude Code's names).</summary>
public enum HookEvent
{
    PreToolUse,
    PostToolUse,
    PermissionRequest,
}
