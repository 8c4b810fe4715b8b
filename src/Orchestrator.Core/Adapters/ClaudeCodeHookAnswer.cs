using System.Text.Json.Nodes;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Adapters;

/// <summary>
/// The JSON a Claude Code hook command prints (exit 0) for Orchestrator's verdict, exactly as Claude Code reads it:
/// <list type="bullet">
/// <item><c>PreToolUse</c>: <c>hookSpecificOutput {hookEventName, permissionDecision allow|deny|ask, permissionDecisionReason}</c>.</item>
/// <item><c>PermissionRequest</c>: <c>hookSpecificOutput {hookEventName, decision {behavior allow|deny, message}}</c>;
/// an ask gives no decision (<c>{}</c>), so Claude Code shows its own permission dialog.</item>
/// <item><c>PostToolUse</c>: the tool has run; a deny gives <c>{decision: "block", reason}</c> so Claude is told, else <c>{}</c>.</item>
/// </list>
/// </summary>
public static class ClaudeCodeHookAnswer
{
    public static JsonObject For(HookEvent hookEvent, Decision decision, string reason) => hookEvent switch
    {
        HookEvent.PreToolUse => new JsonObject
        {
            ["hookSpecificOutput"] = new JsonObject
            {
                ["hookEventName"] = nameof(HookEvent.PreToolUse),
                ["permissionDecision"] = Name(decision),
                ["permissionDecisionReason"] = reason,
            },
        },
        HookEvent.PermissionRequest when decision == Decision.Ask => [],
        HookEvent.PermissionRequest => new JsonObject
        {
            ["hookSpecificOutput"] = new JsonObject
            {
                ["hookEventName"] = nameof(HookEvent.PermissionRequest),
                ["decision"] = decision == Decision.Allow
                    ? new JsonObject { ["behavior"] = "allow" }
                    : new JsonObject { ["behavior"] = "deny", ["message"] = reason },
            },
        },
        _ when decision == Decision.Deny => new JsonObject { ["decision"] = "block", ["reason"] = reason },
        _ => [],
    };

    private static string Name(Decision decision) => decision switch
    {
        Decision.Allow => "allow",
        Decision.Ask => "ask",
        _ => "deny",
    };
}
