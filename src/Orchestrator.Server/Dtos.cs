using System.Text.Json;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Text;

namespace Orchestrator.Server;

/// <summary>The body of <c>POST /v1/calls</c> and <c>POST /v1/check</c>.</summary>
public sealed class CallRequest
{
    public string? Id { get; set; }
    public string? AgentId { get; set; }
    public string? SessionId { get; set; }
    public string? Tool { get; set; }
    /// <summary>The tool's named arguments; checked against the tool's schema by <see cref="Orchestrator.Core.Calls.Input.ToolInputReader"/>.</summary>
    public JsonElement? Input { get; set; }
    public string? Cwd { get; set; }
    /// <summary>The workspace directory whose policy judges the call (absolute, under the server's roots); default: the nearest ancestor of <c>cwd</c> holding <c>.git</c> or <c>.orchestrator</c>.</summary>
    public string? Workspace { get; set; }
    /// <summary><c>execute</c> (default) or <c>decide-only</c>.</summary>
    public string? Intent { get; set; }
    /// <summary>Seconds to wait for the call to finish before answering 202 (0 to 300; default 0).</summary>
    public double? Wait { get; set; }
    /// <summary><c>POST /v1/check</c> only: false judges the call without recording it (operators and admins only).</summary>
    public bool? Record { get; set; }
    /// <summary>
    /// Agent teams: the parent of <c>sessionId</c>, named with the session's first call (a session of the same agent, or of
    /// an agent whose token declares this one among its <c>subAgents</c>; else 403). It never changes afterwards (409).
    /// </summary>
    public string? ParentSessionId { get; set; }
}

/// <summary>The body of <c>POST /v1/approvals/{id}</c>.</summary>
public sealed class AnswerRequest
{
    /// <summary><c>approve</c> or <c>deny</c>.</summary>
    public string? Decision { get; set; }
    /// <summary><c>once</c> (default), <c>session</c>, <c>always</c> or <c>team</c> (the parent session and all its sub-sessions).</summary>
    public string? Scope { get; set; }
    public string? Reason { get; set; }
    /// <summary>Optional; when given it must be the authenticated identity (who answers is never the client's choice).</summary>
    public string? AnsweredBy { get; set; }
}

public sealed record ErrorBody(string Error);

/// <summary>A refused answer: the error and the decision that stands.</summary>
public sealed record AnswerConflictBody(string Error, string Code, AnswerView? FirstAnswer, DateTimeOffset? TimedOutAt);

public sealed record VerdictView(string Decision, string ReasonClass, string Reason, string? Rule, string? ClassifierReason,
    string Mode, string PolicyVersion)
{
    public static VerdictView From(Verdict v) => new(Names.Of(v.Decision), v.ReasonClass.Name(), v.Reason, v.Rule?.ToString(),
        v.ClassifierReason, v.Mode.ToString(), v.PolicyVersion);
}

public sealed record CallView(
    string CallId, string? SessionId, string? AgentId, string? Tool, IReadOnlyDictionary<string, string>? Input, string? Cwd,
    string Intent, string Status, string? Decision, string? ReasonClass, string? Reason, string? Rule, string? Outcome,
    int? ExitCode, string? Detail, ApprovalView? PendingApproval, AnswerView? Answer, ExecutionView? Execution, OutputView? Output,
    string? Workspace = null, PostHooksView? PostHooks = null)
{
    public static CallView From(CallState s, CallOutput? output = null) => new(
        s.CallId.Value, s.Call?.Session.Value, s.Call?.Agent.Value, s.Call?.ToolName, s.Call?.Input, s.Call?.WorkingDirectory,
        s.Intent switch { CallIntent.DecideOnly => "decide-only", CallIntent.Relay => "relay", _ => "execute" },
        Names.Of(s.Status), s.Decided is { } d ? Names.Of(d.Verdict.Decision) : null,
        s.Decided?.Verdict.ReasonClass.Name(), s.Decided?.Verdict.Reason, s.Decided?.Verdict.Rule?.Text,
        s.Outcome is { } o ? Names.Of(o) : null, s.Completion?.ExitCode ?? s.Finished?.Result.ExitCode,
        s.Completion?.Detail ?? s.Interruption?.Reason ?? (s.Status == CallStatus.Queued ? $"queued for an execution slot: {s.Queued!.Reason}" : null),
        s.PendingApproval is { } p ? ApprovalView.From(p) : null,
        s.Answer is { } a ? AnswerView.From(a) : null,
        s.Execution is { } e ? ExecutionView.From(e, s.Finished?.Result) : null,
        output is null ? null : new OutputView(output.Stdout, output.Stderr, output.StdoutTruncated, output.StderrTruncated),
        s.Call?.Workspace, s.PostHooks is { } post ? PostHooksView.From(post) : null);
}

/// <summary>
/// What the PostToolUse / PostToolUseFailure hooks said after the run: the context they add for the agent and the
/// reasons of any block (neither changes the outcome), or why they did not run; each hook's exit code and duration.
/// </summary>
public sealed record PostHooksView(string Event, IReadOnlyList<string> AdditionalContext, IReadOnlyList<string> Blocked, string? NotRun,
    IReadOnlyList<HookRunView> Hooks)
{
    public static PostHooksView From(PostToolHooksRan ran) => new(ran.Event, [.. ran.AdditionalContext()], [.. ran.Blocks()], ran.NotRun,
        [.. (ran.Hooks.IsDefault ? [] : ran.Hooks).Select(h => new HookRunView(h.Name, h.ExitCode, h.Duration.TotalMilliseconds, h.Reason))]);
}

public sealed record HookRunView(string Name, int? ExitCode, double DurationMs, string? Reason);

public sealed record ApprovalView(
    string ApprovalId, string CallId, string SessionId, string AgentId, string Tool, string Subject, string Summary,
    string ReasonClass, string Reason, string RequestedScope, string ApproverGroup, int EscalationLevel,
    DateTimeOffset RequestedAt, DateTimeOffset Deadline, DateTimeOffset? EscalatedAt = null, string? ParentSessionId = null,
    string? Workspace = null)
{
    /// <summary>
    /// <c>approverGroup</c> is the group it is with now; <c>escalatedAt</c> when it went there (null before any
    /// escalation); <c>parentSessionId</c> the parent of the asking session when a sub-agent asked (null otherwise).
    /// </summary>
    public static ApprovalView From(ApprovalRequested r) => new(r.ApprovalId.Value, r.CallId.Value, r.Session.Value, r.Agent.Value,
        r.Tool, r.Subject, r.CallSummary, r.ReasonClass.Name(), r.Reason, Names.Of(r.RequestedScope), r.ApproverGroup,
        r.EscalationLevel, r.RequestedAt, r.Deadline, r.EscalationLevel > 0 ? r.RequestedAt : null, r.ParentSession?.Value, r.Workspace);

    /// <summary>The body of <c>GET /v1/approvals</c> (and of the console stream's <c>approvals</c> event).</summary>
    public static ApprovalList PageOf(ApprovalPage page) => new([.. page.Approvals.Select(From)], page.Next, page.Total);
}

/// <summary>A page of pending approvals: <c>next</c> is the cursor of the page after it (null: the last), <c>total</c> how many match.</summary>
public sealed record ApprovalList(IReadOnlyList<ApprovalView> Approvals, string? Next, int Total);

public sealed record AnswerView(string ApprovalId, bool Approved, string Scope, string? Reason, string AnsweredBy, DateTimeOffset AnsweredAt)
{
    public static AnswerView From(ApprovalAnswered a) =>
        new(a.ApprovalId.Value, a.Approved, Names.Of(a.Scope), a.Reason, a.AnsweredBy, a.AnsweredAt);
}

public sealed record ExecutionView(string Sandbox, string ProfileDigest, DateTimeOffset StartedAt, int? ExitCode, bool? TimedOut,
    int? Signal, double? DurationMs, long? StdoutBytes, long? StderrBytes, string? StdoutDigest, string? StderrDigest,
    IReadOnlyList<CreatedProtectedPath>? CreatedProtectedPaths, ToolRecord? Tool = null, long? KilledAtMemoryLimit = null)
{
    public static ExecutionView From(ExecutionStarted started, ExecutionResult? r) => new(started.SandboxKind, started.ProfileDigest,
        started.StartedAt, r?.ExitCode, r?.TimedOut, r?.Signal, r?.Duration.TotalMilliseconds, r?.StdoutBytes, r?.StderrBytes,
        r?.StdoutDigest, r?.StderrDigest, r is null ? null : [.. r.CreatedProtectedPaths], r?.Tool, r?.KilledAtMemoryLimit);
}

public sealed record OutputView(string Stdout, string Stderr, bool StdoutTruncated, bool StderrTruncated);

public sealed record GrantView(string GrantId, string Scope, string Rule, string SessionId, string AgentId, string? FromApproval, string By, DateTimeOffset At)
{
    public static GrantView From(Grant g) => new(g.Id.Value, Names.Of(g.Scope), g.RuleText, g.Session.Value, g.Agent.Value,
        g.FromApproval?.Value, g.By, g.At);
}

/// <summary>One recorded event exactly as the journal stores it (its stable type name and payload).</summary>
public sealed record EventView(long SequenceNr, string Type, JsonElement Event)
{
    public static EventView From(RecordedCallEvent e) =>
        new(e.SequenceNr, e.Type, JsonSerializer.SerializeToElement(e.Event, e.Event.GetType(), EventJsonOptions.Default));
}

internal static class Names
{
    public static string Of<T>(T value) where T : struct, Enum => KebabCase.Of(value);
}
