using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// The compact binary form of a <see cref="DecisionRecord"/> the history read model keeps for replay: a format version,
/// then every field in declaration order — no names, no reflection, read in one pass. A new field or meaning is a new
/// <see cref="Version"/> (and a new model layout, so the model is rebuilt from the journal).
/// </summary>
public static class DecisionRecordCodec
{
    public const byte Version = 1;

    public static byte[] Encode(DecisionRecord record)
    {
        var writer = new RecordWriter(1024);
        try
        {
            Write(ref writer, record);
            return writer.Written.ToArray();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <exception cref="InvalidDataException">Not a whole record of this format version.</exception>
    public static DecisionRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new RecordReader(bytes);
        var record = Read(ref reader);
        return reader.AtEnd ? record : throw new InvalidDataException("bytes after the end of the record");
    }

    internal static void Write(ref RecordWriter w, DecisionRecord r)
    {
        w.Byte(Version);
        w.Text(r.CallId.Value);
        w.Text(r.Agent.Value);
        w.Text(r.Session.Value);
        w.Int64(r.ReceivedAt.Ticks);
        w.Int32((int)r.ReceivedAt.Offset.TotalMinutes);
        var call = r.Call;
        w.Text(call.Id.Value);
        w.Text(call.ToolName);
        Input(ref w, call.Input);
        w.Text(call.WorkingDirectory);
        w.Text(call.Agent.Value);
        w.Text(call.Session.Value);
        w.Small((int?)call.RequestedMode);
        w.Bool(call.RequestsEscalation);
        w.Text(call.SubmittedBy);
        w.Text(call.Workspace);
        w.Text(call.ParentSession?.Value);
        w.Int32(r.MaskedSecrets);
        w.Text(r.UnmaskedInput);
        Input(ref w, r.UpdatedInput);
        Verdict(ref w, r.Verdict);
        var hooks = r.Hooks.IsDefault ? [] : r.Hooks;
        w.Count(hooks.Length);
        foreach (var h in hooks)
        {
            w.Text(h.Name);
            w.Text(h.Command);
            w.Bool(h.ExitCode is not null);
            if (h.ExitCode is { } exit) w.Int32(exit);
            w.Small((int?)h.Decision);
            w.Text(h.Reason);
            w.Int64(h.Duration.Ticks);
            w.Text(h.OutputDigest);
            w.Text(h.AdditionalContext);
            w.Text(h.Event);
        }
    }

    private static void Input(ref RecordWriter w, ImmutableDictionary<string, string>? input)
    {
        if (input is null)
        {
            w.Count(0);
            return;
        }
        w.Count(input.Count + 1);
        foreach (var (key, value) in input)
        {
            w.Text(key);
            w.Text(value);
        }
    }

    private static void Verdict(ref RecordWriter w, VerdictSummary v)
    {
        w.Byte((byte)v.Decision);
        w.Byte((byte)v.ReasonClass);
        w.Text(v.Reason);
        w.Bool(v.Rule is not null);
        if (v.Rule is { } rule)
        {
            w.Byte((byte)rule.Decision);
            w.Text(rule.Text);
            w.Byte((byte)rule.Layer);
            w.Text(rule.File);
            w.Int32(rule.Line);
            w.Int32(rule.Column);
        }
        w.Text(v.ClassifierReason);
        w.Byte((byte)v.Mode.Sandbox);
        w.Byte((byte)v.Mode.Approval);
        w.Byte((byte)v.Mode.Network);
        w.Bool(v.Mode.AcceptEdits);
        w.Bool(v.Mode.Sandboxed);
        w.Text(v.PolicyVersion);
        w.Bool(v.Facts is not null);
        if (v.Facts is not { } facts) return;
        w.Bool(facts.Complete);
        w.Count(facts.Entries.Count);
        foreach (var f in facts.Entries)
        {
            w.Text(f.Path);
            w.Byte((byte)f.Kind);
            w.Text(f.Target);
            w.Text(f.Glob);
            w.Count(f.Names is null ? 0 : f.Names.Count + 1);
            if (f.Names is not null)
                foreach (var name in f.Names) w.Text(name);
            w.Text(f.Error);
            w.Bool(f.Masked);
        }
    }

    private static DecisionRecord Read(ref RecordReader r)
    {
        if (r.Byte() is var version and not Version) throw new InvalidDataException($"format version {version}, not {Version}");
        var callId = new CallId(r.RequiredText());
        var agent = new AgentId(r.RequiredText());
        var session = new SessionId(r.RequiredText());
        var receivedTicks = r.Int64();
        var receivedAt = new DateTimeOffset(receivedTicks, TimeSpan.FromMinutes(r.Int32()));
        var call = new ToolCall(new CallId(r.RequiredText()), r.RequiredText(), Input(ref r)!, r.RequiredText(), new AgentId(r.RequiredText()),
            new SessionId(r.RequiredText()), (SandboxMode?)r.Small(), r.Bool(), r.Text(), r.Text(), r.Text() is { } parent ? new SessionId(parent) : null);
        var masked = r.Int32();
        var unmasked = r.Text();
        var updated = Input(ref r);
        var verdict = Verdict(ref r);
        var count = r.Count();
        var hooks = ImmutableArray.CreateBuilder<HookResult>(count);
        for (var i = 0; i < count; i++)
            hooks.Add(new HookResult(r.RequiredText(), r.RequiredText(), r.Bool() ? r.Int32() : null, (Decision?)r.Small(), r.Text(),
                TimeSpan.FromTicks(r.Int64()), r.Text(), r.Text(), r.Text()));
        return new DecisionRecord(callId, agent, session, call, masked, unmasked, updated, verdict, hooks.MoveToImmutable(), receivedAt);
    }

    private static ImmutableDictionary<string, string>? Input(ref RecordReader r)
    {
        var count = r.Count();
        if (count == 0) return null;
        var input = ImmutableDictionary.CreateBuilder<string, string>();
        for (var i = 1; i < count; i++) input.Add(r.RequiredText(), r.RequiredText());
        return input.ToImmutable();
    }

    private static VerdictSummary Verdict(ref RecordReader r)
    {
        var decision = (Decision)r.Byte();
        var reasonClass = (ReasonClass)r.Byte();
        var reason = r.RequiredText();
        var rule = r.Bool()
            ? new MatchedRule((RuleDecision)r.Byte(), r.RequiredText(), (SettingsLayer)r.Byte(), r.RequiredText(), r.Int32(), r.Int32())
            : null;
        var classifier = r.Text();
        var mode = new RecordedMode((SandboxMode)r.Byte(), (ApprovalPolicy)r.Byte(), (NetworkAccess)r.Byte(), r.Bool(), r.Bool());
        var version = r.RequiredText();
        return new VerdictSummary(decision, reasonClass, reason, rule, classifier, mode, version, r.Bool() ? Facts(ref r) : null);
    }

    private static FileFacts Facts(ref RecordReader r)
    {
        var complete = r.Bool();
        var entries = new FileFact[r.Count()];
        for (var i = 0; i < entries.Length; i++)
        {
            var path = r.RequiredText();
            var kind = (FileFactKind)r.Byte();
            var target = r.Text();
            var glob = r.Text();
            var names = r.Count() is var n and > 0 ? new string[n - 1] : null;
            for (var j = 0; names is not null && j < names.Length; j++) names[j] = r.RequiredText();
            entries[i] = new FileFact(path, kind, target, glob, names, r.Text(), r.Bool());
        }
        return new FileFacts(entries, complete);
    }
}
