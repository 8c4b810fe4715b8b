using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs the PreToolUse hooks of <paramref name="Hooks"/> (the configuration of the workspace that judged the call)
/// that match <paramref name="Call"/>; answered with <see cref="HooksRan"/>.
/// <paramref name="PermissionMode"/> is passed to the hooks as <c>permission_mode</c> (e.g. "default", "plan").
/// </summary>
public sealed record RunHooks(ToolCall Call, string PermissionMode, HookConfiguration Hooks) : Stages.ICallScoped
{
    public CallId? ScopedCallId => Call?.Id;
}
