using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.History.Listing;

/// <summary>How each recorded call event changes a call's <see cref="CallSummary"/> (pure; events in journal order).</summary>
public static class CallSummaryFold
{
    /// <summary>The summary a call's first event starts (null for an event that does not start a call).</summary>
    public static CallSummary? Start(long position, CallEvent evt) => evt switch
    {
        CallReceived r => new CallSummary(position, r.CallId.Value, r.Session.Value, r.Agent.Value, r.Call.Workspace, r.Call.ToolName,
            SubjectOf(r.Call), r.ReceivedAt),
        CallReceivedAndDecided both => Apply(Start(position, both.Received)!, both),
        _ => null,
    };

    public static CallSummary Apply(CallSummary summary, CallEvent evt) => evt switch
    {
        CallReceivedAndDecided both => both.Parts().Skip(1).Aggregate(summary, Apply),
        CallDecided d => summary with
        {
            Decision = d.Verdict.Decision, Reason = d.Verdict.Reason, Rule = d.Verdict.Rule?.Text, Layer = d.Verdict.Rule?.Layer,
        },
        CallCompleted c => summary with { Outcome = c.Outcome, EndedAt = c.CompletedAt },
        CallInterrupted i => summary with { Outcome = CallOutcome.Interrupted, EndedAt = i.InterruptedAt },
        _ => summary,
    };

    /// <summary>What the call is about, in one line: a command, a path, a URL, else its input's keys and values.</summary>
    public static string SubjectOf(ToolCall call)
    {
        foreach (var key in new[] { ToolInputKeys.Command, ToolInputKeys.FilePath, ToolInputKeys.NotebookPath, ToolInputKeys.Url, ToolInputKeys.Pattern, ToolInputKeys.Path })
            if (call.InputValue(key) is { } value) return value;
        return string.Join(' ', call.Input.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }
}
