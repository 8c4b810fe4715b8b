using System.Text.Json;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Cli.Output;

/// <summary>Prints the effective merged policy with where each rule and setting came from.</summary>
internal static class PolicyPrinter
{
    public static void PrintText(TextWriter o, PolicySnapshot p)
    {
        o.WriteLine($"policy {p.Version}{(p.FailedClosed ? "  FAILED CLOSED: only managed rules apply, everything else is denied" : "")}");
        o.WriteLine($"project: {p.ProjectDirectory}");
        o.WriteLine("sources (highest first):");
        if (p.Sources.Count == 0) o.WriteLine("  (none: built-in defaults)");
        foreach (var s in p.Sources) o.WriteLine($"  {s.Layer.Name(),-13} {s.Path}  rules={s.RuleCount}{(s.Digest.Length > 0 ? "  sha256=" + s.Digest[..12] : "")}");
        o.WriteLine("settings:");
        o.WriteLine($"  sandbox mode     {p.SandboxMode.Name(),-20} {From(p.Sandbox?.Origin)}");
        o.WriteLine($"  approval policy  {p.ApprovalPolicy.Name(),-20} {From(p.Approval?.Origin)}");
        o.WriteLine($"  network          {p.NetworkAccess.Name(),-20} {From(p.Network?.Origin)}");
        o.WriteLine($"  accept edits     {(p.AutoAcceptEdits ? "yes" : "no"),-20} {From(p.AcceptEdits?.Origin)}");
        o.WriteLine($"  max input bytes  {p.MaxInputBytes,-20} {From(p.MaxInputBytesSetting?.Origin)}");
        if (p.AllowManagedRulesOnly) o.WriteLine("  allowManagedRulesOnly: only managed rules apply");
        if (p.BypassPermissionsDisabled) o.WriteLine("  danger-full-access disabled by the managed policy");
        o.WriteLine("writable roots:");
        foreach (var r in p.WritableRoots) o.WriteLine($"  {r.Value}  {From(r.Origin)}");
        if (p.ProtectedPaths.Count > 0)
        {
            o.WriteLine("extra protected paths:");
            foreach (var r in p.ProtectedPaths) o.WriteLine($"  {r.Value}  {From(r.Origin)}");
        }
        foreach (var (title, rules) in new[] { ("deny", p.DenyRules), ("ask", p.AskRules), ("allow", p.AllowRules) })
        {
            o.WriteLine($"{title} rules ({rules.Count}):");
            foreach (var r in rules) o.WriteLine($"  {r.Text,-48} {r.Origin.Layer.Name()} {r.Origin.Location}");
        }
        PrintProblems(o, p);
    }

    public static void PrintProblems(TextWriter o, PolicySnapshot p)
    {
        foreach (var e in p.Errors) o.WriteLine($"error: {e}");
        foreach (var w in p.Warnings) o.WriteLine($"warning: {w}");
    }

    public static void PrintJson(Stream output, PolicySnapshot p)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", p.Version);
        json.WriteBoolean("failedClosed", p.FailedClosed);
        json.WriteString("project", p.ProjectDirectory);
        json.WriteStartObject("settings");
        Setting(json, "sandboxMode", p.SandboxMode.Name(), p.Sandbox?.Origin);
        Setting(json, "approvalPolicy", p.ApprovalPolicy.Name(), p.Approval?.Origin);
        Setting(json, "network", p.NetworkAccess.Name(), p.Network?.Origin);
        Setting(json, "acceptEdits", p.AutoAcceptEdits ? "true" : "false", p.AcceptEdits?.Origin);
        Setting(json, "maxInputBytes", p.MaxInputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), p.MaxInputBytesSetting?.Origin);
        json.WriteEndObject();
        json.WriteBoolean("allowManagedRulesOnly", p.AllowManagedRulesOnly);
        json.WriteStartArray("writableRoots");
        foreach (var r in p.WritableRoots) json.WriteStringValue(r.Value);
        json.WriteEndArray();
        json.WriteStartArray("sources");
        foreach (var s in p.Sources)
        {
            json.WriteStartObject();
            json.WriteString("layer", s.Layer.Name());
            json.WriteString("path", s.Path);
            json.WriteString("sha256", s.Digest);
            json.WriteNumber("rules", s.RuleCount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rules");
        foreach (var r in p.AllRules) VerdictPrinter.WriteRule(json, r);
        json.WriteEndArray();
        json.WriteStartArray("errors");
        foreach (var e in p.Errors) json.WriteStringValue(e.ToString());
        json.WriteEndArray();
        json.WriteStartArray("warnings");
        foreach (var w in p.Warnings) json.WriteStringValue(w.ToString());
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void Setting(Utf8JsonWriter json, string name, string value, RuleOrigin? origin)
    {
        json.WriteStartObject(name);
        json.WriteString("value", value);
        json.WriteString("from", Describe(origin));
        if (origin is not null)
        {
            json.WriteString("layer", origin.Layer.Name());
            if (Flag(origin) is { } flag) json.WriteString("flag", flag);
            else
            {
                json.WriteString("file", origin.Location.File);
                if (origin.Location.Line > 0)
                {
                    json.WriteNumber("line", origin.Location.Line);
                    json.WriteNumber("column", origin.Location.Column);
                }
            }
        }
        json.WriteEndObject();
    }

    private static string From(RuleOrigin? origin) => $"({Describe(origin)})";

    /// <summary>"default", "command-line flag --network" or "project /path/settings.json:4:17".</summary>
    private static string Describe(RuleOrigin? origin) => origin switch
    {
        null => "default",
        _ when Flag(origin) is { } flag => $"{origin.Layer.Name()} flag {flag}",
        _ => origin.ToString(),
    };

    private static string? Flag(RuleOrigin origin) => PolicyLoader.FlagName(origin.Location);
}
