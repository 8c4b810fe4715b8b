using System.Collections.Immutable;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;

namespace Orchestrator.Actors.Serialization;

/// <summary>
/// <c>call-received-and-decided.v2</c>: the automatic path's event (<see cref="CallReceivedAndDecided"/>) as JSON that
/// says each thing once — the v1 shape (<c>received</c>, <c>decided</c>, <c>requested</c>, <c>answered</c>,
/// <c>completed</c>, camelCase members, enums by name) with the call id once at the top, and without what the rest
/// already says. A member left out means the value it is implied to have: absent nullable members are null, absent
/// flags false, absent counts 0, a part's absent call id the call's, its absent agent or session the submission's, its
/// absent timestamp <c>receivedAt</c> (same instant and offset), the ask's absent reason (class) the verdict's, the
/// classifier's and the completion's absent reason the verdict's reason (an explicit <c>null</c> then means null).
/// Reading is as strict as <see cref="EventJsonOptions"/> (unknown members, missing required ones and nulls where the
/// type allows none are refused) and stricter on one point: a repeated member is refused, where v1's reader keeps the last.
/// Writing refuses a null where the type allows none, as v1's writer does; nulls inside the input maps and name lists
/// are kept, as v1 keeps them.
/// </summary>
public sealed partial class CallReceivedAndDecidedV2 : StoredEncoding
{
    public static CallReceivedAndDecidedV2 Instance { get; } = new();

    private CallReceivedAndDecidedV2() { }

    public override Type EventType => typeof(CallReceivedAndDecided);

    public override string Manifest => "call-received-and-decided.v2";

    private static readonly JsonTypeInfo<ImmutableArray<HookResult>> HooksInfo =
        (JsonTypeInfo<ImmutableArray<HookResult>>)EventJsonOptions.Default.GetTypeInfo(typeof(ImmutableArray<HookResult>));

    public override void Write(Utf8JsonWriter writer, object evt) => Write(writer, (CallReceivedAndDecided)evt);

    public static void Write(Utf8JsonWriter w, CallReceivedAndDecided e)
    {
        var received = e.Received;
        if (e.CallId != received.CallId)
            throw new SerializationException($"A {nameof(CallReceivedAndDecided)} of call {e.CallId} holds the submission of call {received.CallId}.");
        var at = received.ReceivedAt;
        var reason = e.Decided.Verdict.Reason;
        w.WriteStartObject();
        Text(w, "callId"u8, received.CallId.Value);
        WriteReceived(w, received);
        WriteDecided(w, e.Decided, received.CallId, at);
        if (e.Requested is { } requested) WriteRequested(w, requested, received, e.Decided.Verdict);
        if (e.Answered is { } answered) WriteAnswered(w, answered, received.CallId, at);
        if (e.Completed is { } completed) WriteCompleted(w, completed, received.CallId, at, reason);
        w.WriteEndObject();
    }

    private static void WriteReceived(Utf8JsonWriter w, CallReceived r)
    {
        w.WriteStartObject("received"u8);
        Text(w, "agent"u8, r.Agent.Value);
        Text(w, "session"u8, r.Session.Value);
        w.WriteString("receivedAt"u8, r.ReceivedAt);
        WriteCall(w, r.Call, r);
        w.WriteString("intent"u8, JsonEnumNames<CallIntent>.Of(r.Intent));
        if (r.MaskedSecrets != 0) w.WriteNumber("maskedSecrets"u8, r.MaskedSecrets);
        if (r.IdempotencyKey != r.CallId.Value) Text(w, "idempotencyKey"u8, r.IdempotencyKey);
        if (r.UnmaskedInput is { } unmasked) Text(w, "unmaskedInput"u8, unmasked);
        w.WriteEndObject();
    }

    private static void WriteCall(Utf8JsonWriter w, ToolCall c, CallReceived r)
    {
        w.WriteStartObject("call"u8);
        if (c.Id != r.CallId) Text(w, "id"u8, c.Id.Value);
        Text(w, "toolName"u8, c.ToolName);
        WriteStrings(w, "input"u8, c.Input);
        Text(w, "workingDirectory"u8, c.WorkingDirectory);
        if (c.Agent != r.Agent) Text(w, "agent"u8, c.Agent.Value);
        if (c.Session != r.Session) Text(w, "session"u8, c.Session.Value);
        if (c.RequestedMode is { } mode) w.WriteString("requestedMode"u8, JsonEnumNames<SandboxMode>.Of(mode));
        if (c.RequestsEscalation) w.WriteBoolean("requestsEscalation"u8, true);
        if (c.SubmittedBy is { } by) Text(w, "submittedBy"u8, by);
        if (c.Workspace is { } workspace) Text(w, "workspace"u8, workspace);
        if (c.ParentSession is { } parent) Text(w, "parentSession"u8, parent.Value);
        w.WriteEndObject();
    }

    private static void WriteDecided(Utf8JsonWriter w, CallDecided d, CallId callId, DateTimeOffset at)
    {
        w.WriteStartObject("decided"u8);
        if (d.CallId != callId) Text(w, "callId"u8, d.CallId.Value);
        WriteVerdict(w, d.Verdict);
        if (!d.Hooks.IsDefaultOrEmpty)
        {
            w.WritePropertyName("hooks"u8);
            JsonSerializer.Serialize(w, d.Hooks, HooksInfo);
        }
        if (d.CoveredByGrant is { } grant) Text(w, "coveredByGrant"u8, grant.Value);
        if (!d.DecidedAt.EqualsExact(at)) w.WriteString("decidedAt"u8, d.DecidedAt);
        if (d.UpdatedInput is { } updated) WriteStrings(w, "updatedInput"u8, updated);
        w.WriteEndObject();
    }

    private static void WriteVerdict(Utf8JsonWriter w, VerdictSummary v)
    {
        w.WriteStartObject("verdict"u8);
        w.WriteString("decision"u8, JsonEnumNames<Core.Policy.Decision>.Of(v.Decision));
        w.WriteString("reasonClass"u8, JsonEnumNames<Core.Policy.ReasonClass>.Of(v.ReasonClass));
        Text(w, "reason"u8, v.Reason);
        if (v.Rule is { } rule)
        {
            w.WriteStartObject("rule"u8);
            w.WriteString("decision"u8, JsonEnumNames<Core.Policy.RuleDecision>.Of(rule.Decision));
            Text(w, "text"u8, rule.Text);
            w.WriteString("layer"u8, JsonEnumNames<Core.Policy.SettingsLayer>.Of(rule.Layer));
            Text(w, "file"u8, rule.File);
            w.WriteNumber("line"u8, rule.Line);
            w.WriteNumber("column"u8, rule.Column);
            w.WriteEndObject();
        }
        WriteImplied(w, "classifierReason"u8, v.ClassifierReason, v.Reason);
        var mode = v.Mode;
        w.WriteStartObject("mode"u8);
        w.WriteString("sandbox"u8, JsonEnumNames<SandboxMode>.Of(mode.Sandbox));
        w.WriteString("approval"u8, JsonEnumNames<ApprovalPolicy>.Of(mode.Approval));
        w.WriteString("network"u8, JsonEnumNames<NetworkAccess>.Of(mode.Network));
        if (mode.AcceptEdits) w.WriteBoolean("acceptEdits"u8, true);
        if (mode.Sandboxed) w.WriteBoolean("sandboxed"u8, true);
        w.WriteEndObject();
        Text(w, "policyVersion"u8, v.PolicyVersion);
        if (v.Facts is { } facts) WriteFacts(w, facts);
        w.WriteEndObject();
    }

    private static void WriteFacts(Utf8JsonWriter w, FileFacts facts)
    {
        w.WriteStartObject("facts"u8);
        w.WriteStartArray("entries"u8);
        var entries = facts.Entries;
        for (var i = 0; i < entries.Count; i++) // indexed: no boxed enumerator per event
        {
            var f = entries[i];
            w.WriteStartObject();
            Text(w, "path"u8, f.Path);
            w.WriteString("kind"u8, JsonEnumNames<FileFactKind>.Of(f.Kind));
            if (f.Target is { } target) Text(w, "target"u8, target);
            if (f.Glob is { } glob) Text(w, "glob"u8, glob);
            if (f.Names is { } names)
            {
                w.WriteStartArray("names"u8);
                foreach (var name in names) w.WriteStringValue(name);
                w.WriteEndArray();
            }
            if (f.Error is { } error) Text(w, "error"u8, error);
            if (f.Masked) w.WriteBoolean("masked"u8, true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (!facts.Complete) w.WriteBoolean("complete"u8, false);
        w.WriteEndObject();
    }

    private static void WriteRequested(Utf8JsonWriter w, ApprovalRequested a, CallReceived r, VerdictSummary verdict)
    {
        var at = r.ReceivedAt;
        w.WriteStartObject("requested"u8);
        if (a.CallId != r.CallId) Text(w, "callId"u8, a.CallId.Value);
        Text(w, "approvalId"u8, a.ApprovalId.Value);
        if (a.Agent != r.Agent) Text(w, "agent"u8, a.Agent.Value);
        if (a.Session != r.Session) Text(w, "session"u8, a.Session.Value);
        Text(w, "tool"u8, a.Tool);
        Text(w, "subject"u8, a.Subject);
        Text(w, "callSummary"u8, a.CallSummary);
        if (a.ReasonClass != verdict.ReasonClass) w.WriteString("reasonClass"u8, JsonEnumNames<Core.Policy.ReasonClass>.Of(a.ReasonClass));
        if (a.Reason != verdict.Reason) Text(w, "reason"u8, a.Reason);
        w.WriteString("requestedScope"u8, JsonEnumNames<GrantScope>.Of(a.RequestedScope));
        Text(w, "approverGroup"u8, a.ApproverGroup);
        if (a.EscalationLevel != 0) w.WriteNumber("escalationLevel"u8, a.EscalationLevel);
        if (!a.RequestedAt.EqualsExact(at)) w.WriteString("requestedAt"u8, a.RequestedAt);
        w.WriteString("deadline"u8, a.Deadline);
        if (a.SubjectDigest is { } digest) Text(w, "subjectDigest"u8, digest);
        if (a.Workspace is { } workspace) Text(w, "workspace"u8, workspace);
        if (a.ParentSession is { } parent) Text(w, "parentSession"u8, parent.Value);
        w.WriteEndObject();
    }

    private static void WriteAnswered(Utf8JsonWriter w, ApprovalAnswered a, CallId callId, DateTimeOffset at)
    {
        w.WriteStartObject("answered"u8);
        if (a.CallId != callId) Text(w, "callId"u8, a.CallId.Value);
        Text(w, "approvalId"u8, a.ApprovalId.Value);
        w.WriteBoolean("approved"u8, a.Approved);
        w.WriteString("scope"u8, JsonEnumNames<GrantScope>.Of(a.Scope));
        if (a.Reason is { } reason) Text(w, "reason"u8, reason);
        Text(w, "answeredBy"u8, a.AnsweredBy);
        if (!a.AnsweredAt.EqualsExact(at)) w.WriteString("answeredAt"u8, a.AnsweredAt);
        w.WriteEndObject();
    }

    private static void WriteCompleted(Utf8JsonWriter w, CallCompleted c, CallId callId, DateTimeOffset at, string reason)
    {
        w.WriteStartObject("completed"u8);
        if (c.CallId != callId) Text(w, "callId"u8, c.CallId.Value);
        w.WriteString("outcome"u8, JsonEnumNames<CallOutcome>.Of(c.Outcome));
        if (c.ExitCode is { } exit) w.WriteNumber("exitCode"u8, exit);
        WriteImplied(w, "detail"u8, c.Detail, reason);
        if (!c.CompletedAt.EqualsExact(at)) w.WriteString("completedAt"u8, c.CompletedAt);
        w.WriteEndObject();
    }

    /// <summary>
    /// A member whose type allows no null. The reader refuses a null there (as v1's reader does), so a null is refused
    /// here, before the row is sealed: the call fails alone instead of its session failing to recover.
    /// </summary>
    private static void Text(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value) =>
        w.WriteString(name, value ?? throw new JsonException($"\"{System.Text.Encoding.UTF8.GetString(name)}\" is null, which its type does not allow."));

    /// <summary>Nothing when <paramref name="value"/> is the implied one; else the value (null included).</summary>
    private static void WriteImplied(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value, string implied)
    {
        if (value == implied) return;
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, ImmutableDictionary<string, string> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values) w.WriteString(key, value);
        w.WriteEndObject();
    }
}
