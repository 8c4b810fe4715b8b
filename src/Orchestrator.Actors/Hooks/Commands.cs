using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs the <paramref name="Event"/> hooks of <paramref name="Hooks"/> (the configuration of the workspace that judged
/// the call) that match <paramref name="Call"/>; answered with <see cref="HooksRan"/>.
/// <paramref name="PermissionMode"/> is passed to the hooks as <c>permission_mode</c> (e.g. "default", "plan");
/// <paramref name="Response"/> as <c>tool_response</c> (PostToolUse, PostToolUseFailure).
/// </summary>
public sealed record RunHooks(ToolCall Call, string PermissionMode, HookConfiguration Hooks,
    HookEvent Event = HookEvent.PreToolUse, HookToolResponse? Response = null) : Stages.ICallScoped
{
    public CallId? ScopedCallId => Call?.Id;
}
