using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using static Orchestrator.Actors.Serialization.StrictJson;

namespace Orchestrator.Actors.Serialization;

/// <summary>Reading the facts and the parts that end the call right away (the ask, its answer, the completion).</summary>
public sealed partial class CallReceivedAndDecidedV2
{
    private static readonly Members FactsMembers = new(["entries", "complete"], required: 0b1);

    private static FileFacts ReadFacts(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var seen = 0;
        var entries = new List<FileFact>();
        var complete = true;
        while (FactsMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            if (member == 1) { complete = Bool(ref r); continue; }
            if (r.TokenType != JsonTokenType.StartArray) throw new JsonException("\"entries\" must be an array.");
            while (Next(ref r) != JsonTokenType.EndArray) entries.Add(ReadFact(ref r));
        }
        FactsMembers.Require(seen);
        return new FileFacts(entries, complete);
    }

    private static readonly Members FactMembers = new(["path", "kind", "target", "glob", "names", "error", "masked"], required: 0b11);

    private static FileFact ReadFact(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var seen = 0;
        var path = "";
        var kind = default(FileFactKind);
        string? target = null, glob = null, error = null;
        List<string>? names = null;
        var masked = false;
        while (FactMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: path = String(ref r); break;
                case 1: kind = JsonEnumNames<FileFactKind>.Read(ref r); break;
                case 2: target = NullableString(ref r); break;
                case 3: glob = NullableString(ref r); break;
                case 4:
                    if (r.TokenType == JsonTokenType.Null) break;
                    if (r.TokenType != JsonTokenType.StartArray) throw new JsonException("\"names\" must be an array.");
                    names = [];
                    while (Next(ref r) != JsonTokenType.EndArray) names.Add(NullableString(ref r)!); // a null name kept, as v1 keeps it
                    break;
                case 5: error = NullableString(ref r); break;
                case 6: masked = Bool(ref r); break;
            }
        }
        FactMembers.Require(seen);
        return new FileFact(path, kind, target, glob, names, error, masked);
    }

    private static readonly Members RequestedMembers = new(
        ["callId", "approvalId", "agent", "session", "tool", "subject", "callSummary", "reasonClass", "reason", "requestedScope",
         "approverGroup", "escalationLevel", "requestedAt", "deadline", "subjectDigest", "workspace", "parentSession"],
        required: 0b10011001110010);

    private static ApprovalRequested ReadRequested(ref Utf8JsonReader r, CallReceived received, CallDecided decided)
    {
        StartObject(ref r);
        var seen = 0;
        var callId = received.CallId;
        var approvalId = "";
        var (agent, session) = (received.Agent, received.Session);
        string tool = "", subject = "", summary = "", group = "", reason = decided.Verdict.Reason;
        var reasonClass = decided.Verdict.ReasonClass;
        var scope = default(GrantScope);
        var level = 0;
        var at = received.ReceivedAt;
        DateTimeOffset deadline = default;
        string? digest = null, workspace = null;
        SessionId? parent = null;
        while (RequestedMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: callId = new CallId(String(ref r)); break;
                case 1: approvalId = String(ref r); break;
                case 2: agent = new AgentId(String(ref r)); break;
                case 3: session = new SessionId(String(ref r)); break;
                case 4: tool = String(ref r); break;
                case 5: subject = String(ref r); break;
                case 6: summary = String(ref r); break;
                case 7: reasonClass = JsonEnumNames<ReasonClass>.Read(ref r); break;
                case 8: reason = String(ref r); break;
                case 9: scope = JsonEnumNames<GrantScope>.Read(ref r); break;
                case 10: group = String(ref r); break;
                case 11: level = Int(ref r); break;
                case 12: at = Time(ref r); break;
                case 13: deadline = Time(ref r); break;
                case 14: digest = NullableString(ref r); break;
                case 15: workspace = NullableString(ref r); break;
                case 16: parent = NullableString(ref r) is { } p ? new SessionId(p) : null; break;
            }
        }
        RequestedMembers.Require(seen);
        return new ApprovalRequested(callId, new ApprovalId(approvalId), agent, session, tool, subject, summary, reasonClass, reason,
            scope, group, level, at, deadline, digest, workspace, parent);
    }

    private static readonly Members AnsweredMembers = new(
        ["callId", "approvalId", "approved", "scope", "reason", "answeredBy", "answeredAt"], required: 0b101110);

    private static ApprovalAnswered ReadAnswered(ref Utf8JsonReader r, CallReceived received)
    {
        StartObject(ref r);
        var seen = 0;
        var callId = received.CallId;
        string approvalId = "", by = "";
        var approved = false;
        var scope = default(GrantScope);
        string? reason = null;
        var at = received.ReceivedAt;
        while (AnsweredMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: callId = new CallId(String(ref r)); break;
                case 1: approvalId = String(ref r); break;
                case 2: approved = Bool(ref r); break;
                case 3: scope = JsonEnumNames<GrantScope>.Read(ref r); break;
                case 4: reason = NullableString(ref r); break;
                case 5: by = String(ref r); break;
                case 6: at = Time(ref r); break;
            }
        }
        AnsweredMembers.Require(seen);
        return new ApprovalAnswered(callId, new ApprovalId(approvalId), approved, scope, reason, by, at);
    }

    private static readonly Members CompletedMembers = new(["callId", "outcome", "exitCode", "detail", "completedAt"], required: 0b10);

    private static CallCompleted ReadCompleted(ref Utf8JsonReader r, CallReceived received, CallDecided decided)
    {
        StartObject(ref r);
        var seen = 0;
        var callId = received.CallId;
        var outcome = default(CallOutcome);
        int? exit = null;
        var detail = (string?)decided.Verdict.Reason;
        var at = received.ReceivedAt;
        while (CompletedMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: callId = new CallId(String(ref r)); break;
                case 1: outcome = JsonEnumNames<CallOutcome>.Read(ref r); break;
                case 2: exit = r.TokenType == JsonTokenType.Null ? null : Int(ref r); break;
                case 3: detail = NullableString(ref r); break;
                case 4: at = Time(ref r); break;
            }
        }
        CompletedMembers.Require(seen);
        return new CallCompleted(callId, outcome, exit, detail, at);
    }
}
