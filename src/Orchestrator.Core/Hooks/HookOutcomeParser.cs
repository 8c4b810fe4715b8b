using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// Reads what a hook process did, Claude Code's way: exit 0 is no objection unless stdout is a JSON object whose
/// <c>hookSpecificOutput.permissionDecision</c> says allow, deny or ask (with <c>permissionDecisionReason</c> and an
/// <c>updatedInput</c> object of strings) — or, from a PermissionRequest hook, <c>hookSpecificOutput.decision.behavior</c>
/// allow or deny (with <c>message</c> and <c>updatedInput</c>) — or top-level <c>continue: false</c> or
/// <c>decision: "block"</c> deny; <c>additionalContext</c> is kept for the agent; exit 2 denies with stderr as the reason; any other exit, no exit (timeout,
/// start failure) or unreadable JSON is a failure, which denies unless the hook is configured with onFailure "ignore" —
/// a PreToolUse hook's only: a failed PermissionRequest hook answers nothing (a person is asked) and a failed post hook
/// is recorded and changes nothing.
/// Every reason names the hook, so the recorded result reads on its own.
/// </summary>
public static class HookOutcomeParser
{
    public const int DenyExitCode = 2;
    private const int MaxReasonChars = 1000;

    public static HookOutcome Parse(HookDefinition hook, HookProcessResult process, HookEvent hookEvent = HookEvent.PreToolUse)
    {
        var eventName = hookEvent == HookEvent.PreToolUse ? null : hookEvent.ToString();
        var digest = process.ExitCode is null && process.StandardOutput.Length == 0 ? null : Digest(process.StandardOutput);
        HookResult Result(Decision? decision, string? reason) =>
            new(hook.Name, hook.Command, process.ExitCode, decision, reason, process.Duration, digest, Event: eventName);
        // Only a PreToolUse failure may deny: a failed PermissionRequest hook leaves the ask to a person, and a failed
        // PostToolUse(Failure) hook cannot change a run that already happened.
        HookOutcome Failure(string why) => hookEvent != HookEvent.PreToolUse
            ? new(Result(null, $"hook '{hook.Name}' failed: {why} ({(hookEvent == HookEvent.PermissionRequest ? "a person is asked instead" : "recorded only")})"), null, Failed: true)
            : hook.OnFailure == HookFailureMode.Ignore
            ? new(Result(null, $"hook '{hook.Name}' failed: {why} (ignored: onFailure is \"ignore\")"), null, Failed: true)
            : new(Result(Decision.Deny, $"hook '{hook.Name}' failed: {why}"), null, Failed: true);

        switch (process.ExitCode)
        {
            case null:
                return Failure(process.Failure ?? "the process did not exit");
            case DenyExitCode:
                var stderr = Clip(process.StandardError);
                return new(Result(Decision.Deny, stderr.Length > 0
                    ? $"hook '{hook.Name}' denied: {stderr}"
                    : $"hook '{hook.Name}' denied (exit code 2)"), null, Failed: false);
            case not 0:
                var detail = Clip(process.StandardError);
                return Failure($"exit code {process.ExitCode}" + (detail.Length > 0 ? $": {detail}" : ""));
        }

        if (!process.StandardOutput.TrimStart().StartsWith('{'))
            return new(Result(null, null), null, Failed: false);
        var parsed = ReadJson(process.StandardOutput);
        if (parsed.Problem is { } problem) return Failure(problem);
        var reason = parsed.Decision switch
        {
            null => null,
            var d => $"hook '{hook.Name}' {Verb(d.Value)}" + (parsed.Reason is { Length: > 0 } text ? $": {Clip(text)}" : ""),
        };
        return new(Result(parsed.Decision, reason) with { AdditionalContext = parsed.Context }, parsed.UpdatedInput, Failed: false);
    }

    private static string Verb(Decision decision) => decision switch
    {
        Decision.Allow => "allowed",
        Decision.Ask => "asks",
        _ => "denied",
    };

    private sealed record JsonAnswer(Decision? Decision, string? Reason, ImmutableDictionary<string, string>? UpdatedInput, string? Context, string? Problem);

    private static JsonAnswer ReadJson(string stdout)
    {
        static JsonAnswer Bad(string problem) => new(null, null, null, null, problem);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return Bad($"its output starts with '{{' but is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Bad("its output is JSON but not an object");
            var topLevel = ReadTopLevel(root);
            if (topLevel.Problem is not null) return topLevel;
            if (!root.TryGetProperty("hookSpecificOutput", out var specific)) return topLevel;
            if (specific.ValueKind != JsonValueKind.Object) return Bad("'hookSpecificOutput' is not an object");

            var answer = specific.TryGetProperty("decision", out var permissionDecision)
                ? ReadPermissionRequestDecision(permissionDecision)
                : ReadPermissionDecision(specific);
            if (answer.Problem is not null) return answer;

            string? context = null;
            if (specific.TryGetProperty("additionalContext", out var contextValue))
            {
                if (contextValue.ValueKind != JsonValueKind.String) return Bad("'additionalContext' is not a string");
                context = Clip(contextValue.GetString()!);
            }
            // A top-level stop or block outranks what hookSpecificOutput says; the stricter answer stands.
            var strictest = topLevel.Decision is { } top && (answer.Decision is null || top > answer.Decision) ? topLevel : answer;
            return strictest with { Context = context, UpdatedInput = strictest.Decision == Decision.Deny ? null : answer.UpdatedInput };
        }
    }

    /// <summary>
    /// Claude Code's fields common to every event: <c>continue: false</c> (with <c>stopReason</c>) stops — here the
    /// call is denied; <c>decision: "block"</c> (with <c>reason</c>) blocks; the older <c>decision: "approve"</c> allows.
    /// </summary>
    private static JsonAnswer ReadTopLevel(JsonElement root)
    {
        static JsonAnswer Bad(string problem) => new(null, null, null, null, problem);
        if (root.TryGetProperty("continue", out var go))
        {
            if (go.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Bad("'continue' is not true or false");
            if (go.ValueKind == JsonValueKind.False)
            {
                if (OptionalString(root, "stopReason", out var stop) is { } problem) return Bad(problem);
                return new(Decision.Deny, stop ?? "continue: false", null, null, null);
            }
        }
        if (!root.TryGetProperty("decision", out var decision)) return new(null, null, null, null, null);
        if (OptionalString(root, "reason", out var reason) is { } wrong) return Bad(wrong);
        return decision.ValueKind == JsonValueKind.String
            ? decision.GetString() switch
            {
                "block" => new(Decision.Deny, reason, null, null, null),
                "approve" => new(Decision.Allow, reason, null, null, null),
                _ => Bad($"top-level 'decision' must be \"block\" or \"approve\", found {Clip(decision.GetRawText())}"),
            }
            : decision.ValueKind == JsonValueKind.Null ? new(null, null, null, null, null)
            : Bad($"top-level 'decision' must be \"block\" or \"approve\", found {Clip(decision.GetRawText())}");
    }

    /// <summary>PreToolUse: <c>permissionDecision</c> allow|deny|ask, <c>permissionDecisionReason</c>, <c>updatedInput</c>.</summary>
    private static JsonAnswer ReadPermissionDecision(JsonElement specific)
    {
        static JsonAnswer Bad(string problem) => new(null, null, null, null, problem);
        Decision? decision = null;
        if (specific.TryGetProperty("permissionDecision", out var decisionValue))
        {
            decision = decisionValue.ValueKind == JsonValueKind.String
                ? decisionValue.GetString() switch
                {
                    "allow" => Decision.Allow,
                    "ask" => Decision.Ask,
                    "deny" => Decision.Deny,
                    _ => null,
                }
                : null;
            if (decision is null)
                return Bad($"'permissionDecision' must be \"allow\", \"deny\" or \"ask\", found {Clip(decisionValue.GetRawText())}");
        }
        if (OptionalString(specific, "permissionDecisionReason", out var reason) is { } problem) return Bad(problem);
        if (ReadUpdatedInput(specific, "updatedInput", out var updated) is { } wrong) return Bad(wrong);
        return new(decision, reason, updated, null, null);
    }

    /// <summary>PermissionRequest: <c>decision: {behavior: "allow"|"deny", message, updatedInput}</c>.</summary>
    private static JsonAnswer ReadPermissionRequestDecision(JsonElement value)
    {
        static JsonAnswer Bad(string problem) => new(null, null, null, null, problem);
        if (value.ValueKind != JsonValueKind.Object) return Bad("'hookSpecificOutput.decision' is not an object");
        if (!value.TryGetProperty("behavior", out var behavior) || behavior.ValueKind != JsonValueKind.String
            || behavior.GetString() is not ("allow" or "deny"))
            return Bad("'decision.behavior' must be \"allow\" or \"deny\"");
        if (OptionalString(value, "message", out var message) is { } problem) return Bad(problem);
        if (ReadUpdatedInput(value, "updatedInput", out var updated) is { } wrong) return Bad(wrong);
        return new(behavior.GetString() == "allow" ? Decision.Allow : Decision.Deny, message, updated, null, null);
    }

    private static string? OptionalString(JsonElement parent, string name, out string? value)
    {
        value = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.String) return $"'{name}' is not a string";
        value = element.GetString();
        return null;
    }

    private static string? ReadUpdatedInput(JsonElement parent, string name, out ImmutableDictionary<string, string>? updated)
    {
        updated = null;
        if (!parent.TryGetProperty(name, out var updatedValue)) return null;
        if (updatedValue.ValueKind != JsonValueKind.Object) return $"'{name}' is not an object";
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in updatedValue.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) return $"'{name}.{property.Name}' is not a string";
            builder[property.Name] = property.Value.GetString()!;
        }
        updated = builder.ToImmutable();
        return null;
    }

    private static string Clip(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxReasonChars ? trimmed : trimmed[..MaxReasonChars] + "…";
    }

    private static string Digest(string stdout) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stdout)));
}
