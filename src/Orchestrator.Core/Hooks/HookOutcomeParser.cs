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
/// <c>updatedInput</c> object of strings); exit 2 denies with stderr as the reason; any other exit, no exit (timeout,
/// start failure) or unreadable JSON is a failure, which denies unless the hook is configured with onFailure "ignore".
/// Every reason names the hook, so the recorded result reads on its own.
/// </summary>
public static class HookOutcomeParser
{
    public const int DenyExitCode = 2;
    private const int MaxReasonChars = 1000;

    public static HookOutcome Parse(HookDefinition hook, HookProcessResult process)
    {
        var digest = process.ExitCode is null && process.StandardOutput.Length == 0 ? null : Digest(process.StandardOutput);
        HookResult Result(Decision? decision, string? reason) =>
            new(hook.Name, hook.Command, process.ExitCode, decision, reason, process.Duration, digest);
        HookOutcome Failure(string why) => hook.OnFailure == HookFailureMode.Ignore
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
        return new(Result(parsed.Decision, reason), parsed.UpdatedInput, Failed: false);
    }

    private static string Verb(Decision decision) => decision switch
    {
        Decision.Allow => "allowed",
        Decision.Ask => "asks",
        _ => "denied",
    };

    private sealed record JsonAnswer(Decision? Decision, string? Reason, ImmutableDictionary<string, string>? UpdatedInput, string? Problem);

    private static JsonAnswer ReadJson(string stdout)
    {
        static JsonAnswer Bad(string problem) => new(null, null, null, problem);
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
            if (document.RootElement.ValueKind != JsonValueKind.Object) return Bad("its output is JSON but not an object");
            if (!document.RootElement.TryGetProperty("hookSpecificOutput", out var specific)) return new(null, null, null, null);
            if (specific.ValueKind != JsonValueKind.Object) return Bad("'hookSpecificOutput' is not an object");

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

            string? reason = null;
            if (specific.TryGetProperty("permissionDecisionReason", out var reasonValue))
            {
                if (reasonValue.ValueKind != JsonValueKind.String) return Bad("'permissionDecisionReason' is not a string");
                reason = reasonValue.GetString();
            }

            ImmutableDictionary<string, string>? updated = null;
            if (specific.TryGetProperty("updatedInput", out var updatedValue))
            {
                if (updatedValue.ValueKind != JsonValueKind.Object) return Bad("'updatedInput' is not an object");
                var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                foreach (var property in updatedValue.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                        return Bad($"'updatedInput.{property.Name}' is not a string");
                    builder[property.Name] = property.Value.GetString()!;
                }
                updated = builder.ToImmutable();
            }
            return new(decision, reason, updated, null);
        }
    }

    private static string Clip(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxReasonChars ? trimmed : trimmed[..MaxReasonChars] + "…";
    }

    private static string Digest(string stdout) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stdout)));
}
