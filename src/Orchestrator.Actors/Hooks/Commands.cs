using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs the PreToolUse hooks that match <paramref name="Call"/>; answered with <see cref="HooksRan"/>.
/// <paramref name="PermissionMode"/> is passed to the hooks as <c>permission_mode</c> (e.g. "default", "plan").
/// </summary>
public sealed record RunHooks(ToolCall Call, string PermissionMode) : Stages.ICallScoped
{
    public CallId? ScopedCallId => Call?.Id;
}
