using System.Text.Json;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Text;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// One recorded call event (its stored JSON) in one line of <c>orchestrator history show</c>: what an operator reads
/// first of each kind, every layer's say included (the rule with its layer and place, the classifier, each hook's answer,
/// the approver, the sandbox, why it was queued, timed out or interrupted). The whole event is in <c>--json</c>.
/// </summary>
internal static class HistoryEventText
{
    /// <summary>The record of a structured tool in an execution-finished event (null for Bash and other events).</summary>
    public static JsonElement? ToolOf(JsonElement evt) =>
        evt.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.Object ? tool : null;

    public static string Describe(JsonElement evt)
    {
        var parts = new List<string>();
        void Add(JsonElement element, string name, string? label = null)
        {
            if (!element.TryGetProperty(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return;
            var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            // Stored enum values are camelCase; everything else Orchestrator prints is kebab-case.
            if (name is "decision" or "reasonClass" or "outcome" or "scope" or "intent") text = KebabCase.Of(text);
            parts.Add($"{label ?? name}={DisplayText.Escape(text)}");
        }
        // What was asked for: the tool and its (masked) input, alone or inside an automatic decision's one event.
        var received = evt.TryGetProperty("received", out var r) && r.ValueKind == JsonValueKind.Object ? r : evt;
        if (received.TryGetProperty("call", out var call) && call.ValueKind == JsonValueKind.Object)
        {
            Add(call, "toolName", "tool");
            if (call.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object)
                foreach (var field in input.EnumerateObject())
                    parts.Add($"{DisplayText.Escape(field.Name)}={DisplayText.Escape(field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText())}");
            Add(received, "intent");
        }
        var decided = evt.TryGetProperty("decided", out var d) ? d : evt;
        if (decided.TryGetProperty("verdict", out var verdict))
        {
            Add(verdict, "decision");
            Add(verdict, "reasonClass", "reason");
            // Every layer's say: the rule and the layer it was written in, the policy's words, each hook's answer.
            if (verdict.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.Object)
                parts.Add($"rule={DisplayText.Escape(rule.GetProperty("text").GetString())} layer={DisplayText.Escape(KebabCase.Of(rule.GetProperty("layer").GetString() ?? ""))} " +
                    $"at={DisplayText.Escape(rule.GetProperty("file").GetString())}:{rule.GetProperty("line").GetRawText()}");
            Add(verdict, "reason", "why");
            Add(verdict, "classifierReason", "classifier");
            Hooks(decided, parts);
        }
        else Hooks(evt, parts);
        Add(evt, "event", "hook-event");
        Add(evt, "notRun", "not-run");
        foreach (var name in new[] { "approvalId", "approved", "scope", "answeredBy", "sandboxKind", "outcome", "exitCode", "detail", "reason" })
            Add(evt, name);
        Add(evt, "reasonClass", "class");
        Add(evt, "approverGroup", "group");
        Add(evt, "deadline");
        Add(evt, "escalatedTo", "escalated-to");
        if (evt.TryGetProperty("result", out var result)) Add(result, "exitCode");
        if (ToolOf(evt) is { } tool)
        {
            Add(tool, "target", ToolRecord.TargetLabel(tool.TryGetProperty("tool", out var name) ? name.GetString() : null));
            if (tool.TryGetProperty("rangeEnd", out var end) && end.ValueKind == JsonValueKind.Number)
                parts.Add($"bytes={tool.GetProperty("rangeStart").GetRawText()}-{end.GetRawText()}");
            Add(tool, "digest");
            Add(tool, "beforeDigest", "before");
            Add(tool, "afterDigest", "after");
        }
        // The sandbox layers an ExecutionStarted recorded (absent in events written before they were).
        if (evt.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Object &&
            layers.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.Array)
            parts.Add($"layers=[{DisplayText.Escape(string.Join(", ", active.EnumerateArray().Select(l => l.GetString())))}]");
        // An automatic decision recorded in one event carries its approval and completion inside.
        if (evt.TryGetProperty("answered", out var answered) && answered.ValueKind == JsonValueKind.Object)
        {
            Add(answered, "approved");
            Add(answered, "answeredBy");
        }
        if (evt.TryGetProperty("completed", out var completed) && completed.ValueKind == JsonValueKind.Object)
            Add(completed, "outcome");
        return string.Join(' ', parts);
    }

    /// <summary>Each hook's answer (a decision's PreToolUse/PermissionRequest hooks, or a run's post hooks): its decision, reason, exit code and context.</summary>
    private static void Hooks(JsonElement holder, List<string> parts)
    {
        if (!holder.TryGetProperty("hooks", out var hooks) || hooks.ValueKind != JsonValueKind.Array) return;
        foreach (var hook in hooks.EnumerateArray())
        {
            string? Text(string name) => hook.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            parts.Add($"hook[{DisplayText.Escape(Text("name"))}]=" +
                DisplayText.Escape(Text("decision") is { } decision ? KebabCase.Of(decision) : "no-objection") +
                (Text("reason") is { } reason ? $" ({DisplayText.Escape(reason)})" : "") +
                (hook.TryGetProperty("exitCode", out var exit) && exit.ValueKind == JsonValueKind.Number ? $" exit={exit.GetRawText()}" : "") +
                (Text("additionalContext") is { } context ? $" context={DisplayText.Escape(context)}" : ""));
        }
    }
}
