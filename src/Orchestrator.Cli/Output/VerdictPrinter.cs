using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Text;
using Orchestrator.Server;

namespace Orchestrator.Cli.Output;

/// <summary>Prints a check's verdict for people (one block) or for programs (one JSON object).</summary>
internal static class VerdictPrinter
{
    public static void PrintText(TextWriter output, ToolCall call, CheckView verdict, bool allFindings)
    {
        output.WriteLine($"{verdict.Decision.ToUpperInvariant(),-5}  {DisplayText.Escape(Subject(call))}");
        output.WriteLine($"  reason:  {verdict.ReasonClass} — {DisplayText.Escape(verdict.Reason)}");
        if (verdict.Rule is { } rule) output.WriteLine($"  rule:    {DisplayText.Escape(rule)}");
        if (verdict.ClassifierReason is { } classifier && classifier != verdict.Reason) output.WriteLine($"  does:    {DisplayText.Escape(classifier)}");
        output.WriteLine($"  mode:    {verdict.Mode}");
        output.WriteLine($"  policy:  {verdict.PolicyVersion}");
        if (verdict.CoveredByGrant is { } grant) output.WriteLine($"  grant:   {DisplayText.Escape(grant)}");
        if (verdict.CallId is { } id) output.WriteLine($"  call:    {DisplayText.Escape(id)} (session {DisplayText.Escape(verdict.SessionId)})");
        if (!allFindings || verdict.Findings is not { } findings) return;
        output.WriteLine("  findings:");
        foreach (var f in findings)
        {
            output.WriteLine($"    - {f.Decision,-5} {f.ReasonClass,-22} {DisplayText.Escape(f.Subject)}");
            output.WriteLine($"        {DisplayText.Escape(f.Message)}");
            if (f.Rule is { } r) output.WriteLine($"        rule {r.Text} ({r.Layer} {Location(r)})");
        }
    }

    public static void PrintJson(Stream output, ToolCall call, CheckView verdict)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("decision", verdict.Decision);
        json.WriteString("reasonClass", verdict.ReasonClass);
        json.WriteString("reason", verdict.Reason);
        if (verdict.MatchedRule is { } rule) { json.WritePropertyName("rule"); WriteRule(json, rule); }
        else json.WriteNull("rule");
        if (verdict.ClassifierReason is { } c) json.WriteString("classifierReason", c);
        json.WriteStartObject("mode");
        json.WriteString("sandbox", verdict.EffectiveMode.Sandbox);
        json.WriteString("approval", verdict.EffectiveMode.Approval);
        json.WriteString("network", verdict.EffectiveMode.Network);
        json.WriteBoolean("acceptEdits", verdict.EffectiveMode.AcceptEdits);
        json.WriteBoolean("sandboxed", verdict.EffectiveMode.Sandboxed);
        json.WriteEndObject();
        json.WriteString("policyVersion", verdict.PolicyVersion);
        json.WriteBoolean("recorded", verdict.Recorded);
        if (verdict.CallId is { } id) json.WriteString("callId", id);
        if (verdict.SessionId is { } session) json.WriteString("sessionId", session);
        if (verdict.CoveredByGrant is { } grant) json.WriteString("coveredByGrant", grant);
        json.WriteStartObject("call");
        json.WriteString("tool", call.ToolName);
        json.WriteString("cwd", call.WorkingDirectory);
        json.WriteStartObject("input");
        foreach (var (k, v) in call.Input.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("findings");
        foreach (var f in verdict.Findings ?? [])
        {
            json.WriteStartObject();
            json.WriteString("decision", f.Decision);
            json.WriteString("reasonClass", f.ReasonClass);
            json.WriteString("subject", f.Subject);
            json.WriteString("message", f.Message);
            if (f.Rule is { } r) { json.WritePropertyName("rule"); WriteRule(json, r); }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    public static void WriteRule(Utf8JsonWriter json, Core.Policy.Rules.PermissionRule rule) => WriteRule(json, RuleView.From(rule));

    private static void WriteRule(Utf8JsonWriter json, RuleView rule)
    {
        json.WriteStartObject();
        json.WriteString("text", rule.Text);
        json.WriteString("decision", rule.Decision);
        json.WriteString("layer", rule.Layer);
        json.WriteString("file", rule.File);
        json.WriteNumber("line", rule.Line);
        json.WriteNumber("column", rule.Column);
        json.WriteEndObject();
    }

    private static string Location(RuleView r) => r.Line > 0 ? $"{r.File}:{r.Line}:{r.Column}" : r.File;

    private static string Subject(ToolCall call) => call.ToolName switch
    {
        ToolNames.Bash => call.InputValue(ToolInputKeys.Command) ?? "",
        _ => $"{call.ToolName}({string.Join(", ", call.Input.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value))})",
    };
}
