using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using static Orchestrator.Actors.Serialization.StrictJson;

namespace Orchestrator.Actors.Serialization;

public sealed partial class CallReceivedAndDecidedV2
{
    public override object Read(ReadOnlySpan<byte> bytes) => ReadEvent(bytes);

    public static CallReceivedAndDecided ReadEvent(ReadOnlySpan<byte> bytes)
    {
        var r = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = EventJsonOptions.Default.MaxDepth });
        try
        {
            Next(ref r);
            var e = ReadTop(ref r);
            if (r.Read()) throw new JsonException("Unexpected data after the event.");
            return e;
        }
        catch (InvalidOperationException invalid)
        {
            // Utf8JsonReader.GetString throws this for bytes that are not UTF-8: a malformed event like any other.
            throw new JsonException(invalid.Message, invalid);
        }
    }

    private static readonly Members Top = new(["callId", "received", "decided", "requested", "answered", "completed"], required: 0b111);

    private static CallReceivedAndDecided ReadTop(ref Utf8JsonReader r)
    {
        // The parts follow the call id and the submission they are implied from (the writer's order, kept by the seal).
        StartObject(ref r);
        var seen = 0;
        CallId callId = default;
        CallReceived? received = null;
        CallDecided? decided = null;
        ApprovalRequested? requested = null;
        ApprovalAnswered? answered = null;
        CallCompleted? completed = null;
        while (Top.Next(ref r, ref seen) is var member and >= 0)
        {
            if (member > 0 && callId.Value is null) throw new JsonException("\"callId\" must come first.");
            if (member > 1 && received is null) throw new JsonException("\"received\" must come before the other parts.");
            switch (member)
            {
                case 0: callId = new CallId(String(ref r)); break;
                case 1: received = ReadReceived(ref r, callId); break;
                case 2: decided = ReadDecided(ref r, received!); break;
                case 3: requested = ReadRequested(ref r, received!, decided ?? throw Before("requested")); break;
                case 4: answered = ReadAnswered(ref r, received!); break;
                case 5: completed = ReadCompleted(ref r, received!, decided ?? throw Before("completed")); break;
            }
        }
        Top.Require(seen);
        return new CallReceivedAndDecided(received!, decided!, requested, answered, completed);
    }

    private static JsonException Before(string part) => new($"\"decided\" must come before \"{part}\".");

    private static readonly Members ReceivedMembers = new(
        ["agent", "session", "receivedAt", "call", "intent", "maskedSecrets", "idempotencyKey", "unmaskedInput"], required: 0b11111);

    private static CallReceived ReadReceived(ref Utf8JsonReader r, CallId callId)
    {
        StartObject(ref r);
        var seen = 0;
        string agent = "", session = "", key = callId.Value;
        DateTimeOffset at = default;
        ToolCall? call = null;
        var intent = CallIntent.Execute;
        var masked = 0;
        string? unmasked = null;
        while (ReceivedMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            if (member == 3 && (seen & 0b111) != 0b111) throw new JsonException("\"call\" must follow \"agent\", \"session\" and \"receivedAt\".");
            switch (member)
            {
                case 0: agent = String(ref r); break;
                case 1: session = String(ref r); break;
                case 2: at = Time(ref r); break;
                case 3: call = ReadCall(ref r, callId, new AgentId(agent), new SessionId(session)); break;
                case 4: intent = JsonEnumNames<CallIntent>.Read(ref r); break;
                case 5: masked = Int(ref r); break;
                case 6: key = String(ref r); break;
                case 7: unmasked = NullableString(ref r); break;
            }
        }
        ReceivedMembers.Require(seen);
        return new CallReceived(callId, new AgentId(agent), new SessionId(session), call!, intent, masked, key, at, unmasked);
    }

    private static readonly Members CallMembers = new(
        ["id", "toolName", "input", "workingDirectory", "agent", "session", "requestedMode", "requestsEscalation", "submittedBy", "workspace", "parentSession"],
        required: 0b1110);

    private static ToolCall ReadCall(ref Utf8JsonReader r, CallId callId, AgentId agent, SessionId session)
    {
        StartObject(ref r);
        var seen = 0;
        var id = callId;
        string tool = "", directory = "";
        var input = ImmutableDictionary<string, string>.Empty;
        SandboxMode? mode = null;
        var escalation = false;
        string? by = null, workspace = null;
        SessionId? parent = null;
        while (CallMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: id = new CallId(String(ref r)); break;
                case 1: tool = String(ref r); break;
                case 2: input = Strings(ref r); break;
                case 3: directory = String(ref r); break;
                case 4: agent = new AgentId(String(ref r)); break;
                case 5: session = new SessionId(String(ref r)); break;
                case 6: mode = r.TokenType == JsonTokenType.Null ? null : JsonEnumNames<SandboxMode>.Read(ref r); break;
                case 7: escalation = Bool(ref r); break;
                case 8: by = NullableString(ref r); break;
                case 9: workspace = NullableString(ref r); break;
                case 10: parent = NullableString(ref r) is { } p ? new SessionId(p) : null; break;
            }
        }
        CallMembers.Require(seen);
        return new ToolCall(id, tool, input, directory, agent, session, mode, escalation, by, workspace, parent);
    }

    private static readonly Members DecidedMembers = new(["callId", "verdict", "hooks", "coveredByGrant", "decidedAt", "updatedInput"], required: 0b10);

    private static CallDecided ReadDecided(ref Utf8JsonReader r, CallReceived received)
    {
        StartObject(ref r);
        var seen = 0;
        var callId = received.CallId;
        VerdictSummary? verdict = null;
        var hooks = ImmutableArray<HookResult>.Empty;
        GrantId? grant = null;
        var at = received.ReceivedAt;
        ImmutableDictionary<string, string>? updated = null;
        while (DecidedMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: callId = new CallId(String(ref r)); break;
                case 1: verdict = ReadVerdict(ref r); break;
                case 2:
                    if (r.TokenType != JsonTokenType.StartArray) throw new JsonException("\"hooks\" must be an array.");
                    hooks = JsonSerializer.Deserialize(ref r, HooksInfo);
                    break;
                case 3: grant = NullableString(ref r) is { } g ? new GrantId(g) : null; break;
                case 4: at = Time(ref r); break;
                case 5: updated = r.TokenType == JsonTokenType.Null ? null : Strings(ref r); break;
            }
        }
        DecidedMembers.Require(seen);
        return new CallDecided(callId, verdict!, hooks, grant, at, updated);
    }

    private static readonly Members VerdictMembers = new(
        ["decision", "reasonClass", "reason", "rule", "classifierReason", "mode", "policyVersion", "facts"], required: 0b1100111);

    private static VerdictSummary ReadVerdict(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var seen = 0;
        var decision = Decision.Allow;
        var reasonClass = default(ReasonClass);
        string reason = "", version = "";
        string? classifier = null;
        var classifierGiven = false;
        MatchedRule? rule = null;
        RecordedMode? mode = null;
        FileFacts? facts = null;
        while (VerdictMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: decision = JsonEnumNames<Decision>.Read(ref r); break;
                case 1: reasonClass = JsonEnumNames<ReasonClass>.Read(ref r); break;
                case 2: reason = String(ref r); break;
                case 3: rule = r.TokenType == JsonTokenType.Null ? null : ReadRule(ref r); break;
                case 4: classifier = NullableString(ref r); classifierGiven = true; break;
                case 5: mode = ReadMode(ref r); break;
                case 6: version = String(ref r); break;
                case 7: facts = r.TokenType == JsonTokenType.Null ? null : ReadFacts(ref r); break;
            }
        }
        VerdictMembers.Require(seen);
        return new VerdictSummary(decision, reasonClass, reason, rule, classifierGiven ? classifier : reason, mode!, version, facts);
    }

    private static readonly Members RuleMembers = new(["decision", "text", "layer", "file", "line", "column"], required: 0b111111);

    private static MatchedRule ReadRule(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var seen = 0;
        var decision = default(RuleDecision);
        var layer = default(SettingsLayer);
        string text = "", file = "";
        int line = 0, column = 0;
        while (RuleMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: decision = JsonEnumNames<RuleDecision>.Read(ref r); break;
                case 1: text = String(ref r); break;
                case 2: layer = JsonEnumNames<SettingsLayer>.Read(ref r); break;
                case 3: file = String(ref r); break;
                case 4: line = Int(ref r); break;
                case 5: column = Int(ref r); break;
            }
        }
        RuleMembers.Require(seen);
        return new MatchedRule(decision, text, layer, file, line, column);
    }

    private static readonly Members ModeMembers = new(["sandbox", "approval", "network", "acceptEdits", "sandboxed"], required: 0b111);

    private static RecordedMode ReadMode(ref Utf8JsonReader r)
    {
        StartObject(ref r);
        var seen = 0;
        var sandbox = default(SandboxMode);
        var approval = default(ApprovalPolicy);
        var network = default(NetworkAccess);
        bool acceptEdits = false, sandboxed = false;
        while (ModeMembers.Next(ref r, ref seen) is var member and >= 0)
        {
            switch (member)
            {
                case 0: sandbox = JsonEnumNames<SandboxMode>.Read(ref r); break;
                case 1: approval = JsonEnumNames<ApprovalPolicy>.Read(ref r); break;
                case 2: network = JsonEnumNames<NetworkAccess>.Read(ref r); break;
                case 3: acceptEdits = Bool(ref r); break;
                case 4: sandboxed = Bool(ref r); break;
            }
        }
        ModeMembers.Require(seen);
        return new RecordedMode(sandbox, approval, network, acceptEdits, sandboxed);
    }
}
