using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Server;

/// <summary>The body of <c>POST /v1/calls</c> and <c>POST /v1/check</c>.</summary>
public sealed class CallRequest
{
    public string? Id { get; set; }
    public string? AgentId { get; set; }
    public string? SessionId { get; set; }
    public string? Tool { get; set; }
    public Dictionary<string, string>? Input { get; set; }
    public string? Cwd { get; set; }
    /// <summary><c>execute</c> (default) or <c>decide-only</c>.</summary>
    public string? Intent { get; set; }
}

public sealed record ErrorBody(string Error);

public sealed record VerdictView(string Decision, string ReasonClass, string Reason, string? Rule, string? ClassifierReason,
    string Mode, string PolicyVersion)
{
    public static VerdictView From(Verdict v) => new(Names.Of(v.Decision), Names.Of(v.ReasonClass), v.Reason, v.Rule?.ToString(),
        v.ClassifierReason, v.Mode.ToString(), v.PolicyVersion);
}

public sealed record CallView(
    string CallId, string? SessionId, string? AgentId, string? Tool, IReadOnlyDictionary<string, string>? Input, string? Cwd,
    string Intent, string Status, string? Decision, string? ReasonClass, string? Reason, string? Outcome,
    int? ExitCode, string? Detail)
{
    public static CallView From(CallState s) => new(
        s.CallId.Value, s.Call?.Session.Value, s.Call?.Agent.Value, s.Call?.ToolName, s.Call?.Input, s.Call?.WorkingDirectory,
        s.Intent == Orchestrator.Core.History.Events.CallIntent.DecideOnly ? "decide-only" : "execute",
        Names.Of(s.Status), s.Decided is { } d ? Names.Of(d.Verdict.Decision) : null,
        s.Decided is { } d2 ? Names.Of(d2.Verdict.ReasonClass) : null, s.Decided?.Verdict.Reason,
        s.Outcome is { } o ? Names.Of(o) : null, s.Completion?.ExitCode, s.Completion?.Detail);
}

internal static class Names
{
    /// <summary>camelCase of an enum member's name.</summary>
    public static string Of<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
