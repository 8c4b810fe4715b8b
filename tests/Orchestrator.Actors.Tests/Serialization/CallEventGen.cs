using System.Collections.Immutable;
using CsCheck;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Serialization;

/// <summary>
/// Generated <see cref="CallReceivedAndDecided"/> events: every optional part and member present or absent, parts
/// naming the same call, agent, session and time as the submission or others (another offset of the same instant
/// included), reasons repeated or not, texts with quotes, controls, accents, CJK and astral characters.
/// </summary>
internal static class CallEventGen
{
    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static Gen<T> Any<T>() where T : struct, Enum => Pick(Enum.GetValues<T>());

    private static Gen<T?> OrNull<T>(Gen<T> gen) where T : class => Gen.Frequency((1, Gen.Const((T?)null)), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> OrNone<T>(Gen<T> gen) where T : struct => Gen.Frequency((1, Gen.Const((T?)null)), (2, gen.Select(v => (T?)v)));

    public static readonly Gen<string> Text =
        Pick("", "a", "c-1", "prints files", "it's \"quoted\" \\ /", "line\nbreak\t\u0001", "é☃ 中文 𝄞🎉", "<script>&amp;</script>", "+00:00")
            .Array[1, 3].Select(parts => string.Concat(parts));

    private static readonly Gen<ImmutableDictionary<string, string>> Strings =
        Gen.Select(Text, Text).Array[0, 4].Select(pairs => pairs.DistinctBy(p => p.Item1).ToImmutableDictionary(p => p.Item1, p => p.Item2));

    private static readonly DateTimeOffset Base = new DateTimeOffset(2026, 12, 5, 6, 2, 57, TimeSpan.Zero).AddTicks(1825688);

    private static readonly Gen<DateTimeOffset> Times = Pick(Base, Base.AddTicks(1), Base.ToOffset(TimeSpan.FromHours(2)), Base.AddDays(-400).ToOffset(TimeSpan.FromMinutes(-330)));

    /// <summary>The submission's value, or (less often) another.</summary>
    private static Gen<T> SameOr<T>(T same, Gen<T> other) => Gen.Frequency((3, Gen.Const(same)), (1, other));

    private static Gen<string?> SameOrNullable(string same) => Gen.Frequency((3, Gen.Const((string?)same)), (1, OrNull(Text)));

    private static readonly Gen<FileFact> Facts = Gen.Select(
        Gen.Select(Text, Any<FileFactKind>(), OrNull(Text), OrNull(Text)),
        Gen.Select(OrNull(Text.Array[0, 3].Select(a => (IReadOnlyList<string>)[.. a])), OrNull(Text), Gen.Bool),
        (a, b) => new FileFact(a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3));

    private static readonly Gen<VerdictSummary> Verdicts = Gen.Select(
        Gen.Select(Any<Decision>(), Any<ReasonClass>(), Text, OrNull(Gen.Select(Any<RuleDecision>(), Text, Any<SettingsLayer>(), Text, Gen.Int, Gen.Int,
            (d, t, l, f, line, column) => new MatchedRule(d, t, l, f, line, column)))),
        Gen.Select(Any<SandboxMode>(), Any<ApprovalPolicy>(), Any<NetworkAccess>(), Gen.Bool, Gen.Bool, (s, a, n, e, x) => new RecordedMode(s, a, n, e, x)),
        Gen.Select(Text, OrNull(Gen.Select(Facts.Array[0, 3], Gen.Bool, (f, c) => new FileFacts([.. f], c))), Gen.Int[0, 2]),
        (a, mode, b) => new VerdictSummary(a.Item1, a.Item2, a.Item3, a.Item4,
            b.Item3 switch { 0 => a.Item3, 1 => null, _ => a.Item3 + "!" }, mode, b.Item1, b.Item2));

    private static readonly Gen<HookResult> Hooks = Gen.Select(
        Gen.Select(Text, Text, OrNone(Gen.Int), OrNone(Any<Decision>())),
        Gen.Select(OrNull(Text), Gen.Int[0, 100000].Select(ms => TimeSpan.FromMilliseconds(ms)), OrNull(Text), OrNull(Text), OrNull(Text)),
        (a, b) => new HookResult(a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3, b.Item4, b.Item5));

    public static readonly Gen<CallReceivedAndDecided> Events =
        from callId in Text.Select(t => new CallId(t))
        from agent in Text.Select(t => new AgentId(t))
        from session in Text.Select(t => new SessionId(t))
        from at in Times
        from call in Gen.Select(
            Gen.Select(SameOr(callId, Text.Select(t => new CallId(t))), Text, Strings, Text, SameOr(agent, Text.Select(t => new AgentId(t))),
                SameOr(session, Text.Select(t => new SessionId(t)))),
            Gen.Select(OrNone(Any<SandboxMode>()), Gen.Bool, OrNull(Text), OrNull(Text), OrNone(Text.Select(t => new SessionId(t)))),
            (a, b) => new ToolCall(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, b.Item1, b.Item2, b.Item3, b.Item4, b.Item5))
        from received in Gen.Select(Any<CallIntent>(), Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int)), SameOr(callId.Value, Text), OrNull(Text),
            (intent, masked, key, unmasked) => new CallReceived(callId, agent, session, call, intent, masked, key, at, unmasked))
        from verdict in Verdicts
        from decided in Gen.Select(SameOr(callId, Text.Select(t => new CallId(t))), Hooks.Array[0, 2], OrNone(Text.Select(t => new GrantId(t))),
            SameOr(at, Times), OrNull(Strings),
            (id, hooks, grant, decidedAt, updated) => new CallDecided(id, verdict, [.. hooks], grant, decidedAt, updated))
        from requested in OrNull(Gen.Select(
            Gen.Select(SameOr(callId, Text.Select(t => new CallId(t))), Text, SameOr(agent, Text.Select(t => new AgentId(t))),
                SameOr(session, Text.Select(t => new SessionId(t))), Text, Text, Text),
            Gen.Select(SameOr(verdict.ReasonClass, Any<ReasonClass>()), SameOr(verdict.Reason, Text), Any<GrantScope>(), Text,
                Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int)), SameOr(at, Times), Times),
            Gen.Select(OrNull(Text), OrNull(Text), OrNone(Text.Select(t => new SessionId(t)))),
            (a, b, c) => new ApprovalRequested(a.Item1, new ApprovalId(a.Item2), a.Item3, a.Item4, a.Item5, a.Item6, a.Item7,
                b.Item1, b.Item2, b.Item3, b.Item4, b.Item5, b.Item6, b.Item7, c.Item1, c.Item2, c.Item3)))
        from answered in OrNull(Gen.Select(SameOr(callId, Text.Select(t => new CallId(t))), Text, Gen.Bool, Any<GrantScope>(), OrNull(Text), Text,
            SameOr(at, Times),
            (id, approval, approved, scope, reason, who, answeredAt) => new ApprovalAnswered(id, new ApprovalId(approval), approved, scope, reason, who, answeredAt)))
        from completed in OrNull(Gen.Select(SameOr(callId, Text.Select(t => new CallId(t))), Any<CallOutcome>(), OrNone(Gen.Int),
            SameOrNullable(verdict.Reason), SameOr(at, Times),
            (id, outcome, exit, detail, completedAt) => new CallCompleted(id, outcome, exit, detail, completedAt)))
        select new CallReceivedAndDecided(received, decided, requested, answered, completed);
}
