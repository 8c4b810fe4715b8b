using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// SHA-256 (lower-case hex) over a canonical text of a sandbox profile and a command request (or a structured call):
/// equal inputs give equal digests on every machine and run. Every value is length-prefixed so no two different inputs
/// share a text.
/// </summary>
public static class ProfileDigest
{
    public static string Compute(CommandRequest request, SandboxProfile profile) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(request, profile))));

    /// <summary>The digest of a structured call: its tool, input (in key order), working directory, limits and profile.</summary>
    public static string Compute(ToolCall call, SandboxProfile profile, ToolLimits limits)
    {
        var text = new StringBuilder();
        Append(text, "tool", call.ToolName);
        foreach (var (name, value) in call.Input.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Append(text, "input-name", name);
            Append(text, "input-value", value);
        }
        Append(text, "cwd", call.WorkingDirectory);
        Append(text, "limits", limits.ToString());
        AppendProfile(text, profile);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string CanonicalText(CommandRequest request, SandboxProfile profile)
    {
        var text = new StringBuilder();
        void Field(string name, string value) => Append(text, name, value);
        void Number(string name, long value) => Field(name, value.ToString(CultureInfo.InvariantCulture));

        AppendProfile(text, profile);
        Field("program", request.Program);
        foreach (var argument in request.Arguments) Field("arg", argument);
        Field("cwd", request.WorkingDirectory);
        foreach (var (name, value) in request.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Field("env-name", name);
            Field("env-value", value);
        }
        Number("timeout-ms", (long)request.Timeout.TotalMilliseconds);
        Number("head-bytes", request.Output.HeadBytes);
        Number("tail-bytes", request.Output.TailBytes);
        Number("drain-ms", (long)request.Output.EffectiveDrainTimeout.TotalMilliseconds);
        return text.ToString();
    }

    private static void AppendProfile(StringBuilder text, SandboxProfile profile)
    {
        void Field(string name, string value) => Append(text, name, value);
        void Number(string name, long value) => Field(name, value.ToString(CultureInfo.InvariantCulture));

        Field("mode", profile.Mode.ToString());
        Field("network", profile.Network.ToString());
        foreach (var root in profile.WritableRoots) Field("writable", root);
        foreach (var path in profile.ProtectedPaths) Field("protected", path);
        foreach (var name in profile.ProtectedNames) Field("protected-name", name);
        foreach (var path in profile.ProtectedLocations) Field("protected-location", path);
        foreach (var path in profile.HiddenPaths) Field("hidden", path);
        foreach (var pattern in profile.HiddenPatterns) Field("hidden-pattern", pattern.Spec + "\0" + string.Join('\0', pattern.Anchors));
        foreach (var path in profile.ExposedPaths) Field("exposed", path);
        foreach (var pattern in profile.ExposedPatterns) Field("exposed-pattern", pattern.Spec + "\0" + string.Join('\0', pattern.Anchors));
        Number("max-processes", profile.Limits.MaxProcesses);
        Number("max-memory", profile.Limits.MaxMemoryBytes);
        Number("max-open-files", profile.Limits.MaxOpenFiles);
        Number("max-file-size", profile.Limits.MaxFileSizeBytes);
        Field("cpu-seconds", profile.Limits.CpuSeconds?.ToString(CultureInfo.InvariantCulture) ?? "none");
    }

    private static void Append(StringBuilder text, string name, string value) =>
        text.Append(name).Append(' ').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
}
