using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Text;

namespace Orchestrator.Cli.Output;

/// <summary>Prints a verdict for people (one block) or for programs (one JSON object).</summary>
internal static class VerdictPrinter
{
    public static void PrintText(TextWriter output, ToolCall call, Verdict verdict, bool allFindings)
    {
        output.WriteLine($"{verdict.Decision.ToString().ToUpperInvariant(),-5}  {DisplayText.Escape(Subject(call))}");
        output.WriteLine($"  reason:  {verdict.ReasonClass.Name()} — {DisplayText.Escape(verdict.Reason)}");
        if (verdict.Rule is { } rule) output.WriteLine($"  rule:    {rule.Decision.ToString().ToLowerInvariant()} {rule.Text} ({rule.Origin.Layer.Name()} {rule.Origin.Location})");
        if (verdict.ClassifierReason is { } classifier && classifier != verdict.Reason) output.WriteLine($"  does:    {DisplayText.Escape(classifier)}");
        output.WriteLine($"  mode:    {verdict.Mode}");
        output.WriteLine($"  policy:  {verdict.PolicyVersion}");
        if (!allFindings) return;
        output.WriteLine("  findings:");
        foreach (var f in verdict.Findings)
        {
            output.WriteLine($"    - {f.Decision.ToString().ToLowerInvariant(),-5} {f.Class.Name(),-22} {DisplayText.Escape(f.Subject)}");
            output.WriteLine($"        {DisplayText.Escape(f.Message)}");
            if (f.Rule is { } r) output.WriteLine($"        rule {r.Text} ({r.Origin.Layer.Name()} {r.Origin.Location})");
        }
    }

    public static void PrintJson(Stream output, ToolCall call, Verdict verdict)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("decision", Lower(verdict.Decision));
        json.WriteString("reasonClass", verdict.ReasonClass.Name());
        json.WriteString("reason", verdict.Reason);
        if (verdict.Rule is { } rule) { json.WritePropertyName("rule"); WriteRule(json, rule); }
        else json.WriteNull("rule");
        if (verdict.ClassifierReason is { } c) json.WriteString("classifierReason", c);
        json.WriteStartObject("mode");
        json.WriteString("sandbox", Core.Policy.Settings.ModeNames.Name(verdict.Mode.Sandbox));
        json.WriteString("approval", Core.Policy.Settings.ModeNames.Name(verdict.Mode.Approval));
        json.WriteString("network", Core.Policy.Settings.ModeNames.Name(verdict.Mode.Network));
        json.WriteBoolean("acceptEdits", verdict.Mode.AcceptEdits);
        json.WriteBoolean("sandboxed", verdict.Mode.Sandboxed);
        json.WriteEndObject();
        json.WriteString("policyVersion", verdict.PolicyVersion);
        json.WriteStartObject("call");
        json.WriteString("tool", call.ToolName);
        json.WriteString("cwd", call.WorkingDirectory);
        json.WriteStartObject("input");
        foreach (var (k, v) in call.Input.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("findings");
        foreach (var f in verdict.Findings)
        {
            json.WriteStartObject();
            json.WriteString("decision", Lower(f.Decision));
            json.WriteString("reasonClass", f.Class.Name());
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

    public static void WriteRule(Utf8JsonWriter json, PermissionRule rule)
    {
        json.WriteStartObject();
        json.WriteString("text", rule.Text);
        json.WriteString("decision", rule.Decision.ToString().ToLowerInvariant());
        json.WriteString("layer", rule.Origin.Layer.Name());
        json.WriteString("file", rule.Origin.Location.File);
        json.WriteNumber("line", rule.Origin.Location.Line);
        json.WriteNumber("column", rule.Origin.Location.Column);
        json.WriteEndObject();
    }

    private static string Lower(Decision d) => d.ToString().ToLowerInvariant();

    private static string Subject(ToolCall call) => call.ToolName switch
    {
        ToolNames.Bash => call.InputValue(ToolInputKeys.Command) ?? "",
        _ => $"{call.ToolName}({string.Join(", ", call.Input.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value))})",
    };
}
