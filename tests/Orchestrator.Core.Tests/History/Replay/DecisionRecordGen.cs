using System.Collections.Immutable;
using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.History.Replay;

/// <summary>Random <see cref="DecisionRecord"/>s over the whole space a journal can hold, and a comparison of every field.</summary>
internal static class DecisionRecordGen
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 24],
        Gen.OneOf("", "😀 ünïcode ß", "rm -rf /tmp/x && echo \"$HOME\" | tee 'a b'", "***", new string('x', 300), "line\nbreak\ttab\0nul"));

    private static readonly Gen<string?> MaybeText = Gen.OneOf(Gen.Const((string?)null), Text.Select(s => (string?)s));

    private static Gen<T> OneOf<T>() where T : struct, Enum => Gen.OneOf(Enum.GetValues<T>());

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct => Gen.OneOf(Gen.Const((T?)null), gen.Select(v => (T?)v));

    private static readonly Gen<ImmutableDictionary<string, string>> Input =
        Gen.Select(Text, Text).Array[0, 4].Select(pairs => pairs.DistinctBy(p => p.Item1).ToImmutableDictionary(p => p.Item1, p => p.Item2));

    private static readonly Gen<ToolCall> Call =
        Gen.Select(Text, Gen.OneOf("Bash", "Read", "Edit", "WebFetch", "mcp__fs__write"), Input, Text, Text, Text, Maybe(OneOf<SandboxMode>()), Gen.Bool)
            .SelectMany(t => Gen.Select(MaybeText, MaybeText, MaybeText, (submitter, workspace, parent) =>
                new ToolCall(new CallId(t.Item1), t.Item2, t.Item3, t.Item4, new AgentId(t.Item5), new SessionId(t.Item6), t.Item7, t.Item8,
                    submitter, workspace, parent is null ? null : new SessionId(parent))));

    private static readonly Gen<FileFact> Fact =
        Gen.Select(Text, OneOf<FileFactKind>(), MaybeText, MaybeText, Text.Array[0, 3].Select(a => (string[]?)a), MaybeText, Gen.Bool, Gen.Bool)
            .Select(t => new FileFact(t.Item1, t.Item2, t.Item3, t.Item4, t.Item7 ? t.Item5 : null, t.Item6, t.Item8));

    private static readonly Gen<FileFacts?> Facts = Gen.OneOf(
        Gen.Const((FileFacts?)null),
        Gen.Select(Fact.Array[0, 6], Gen.Bool, (entries, complete) => (FileFacts?)new FileFacts(entries, complete)));

    private static readonly Gen<MatchedRule?> Rule = Gen.OneOf(
        Gen.Const((MatchedRule?)null),
        Gen.Select(OneOf<RuleDecision>(), Text, OneOf<SettingsLayer>(), Text, Gen.Int[0, 500], Gen.Int[0, 80],
            (d, text, layer, file, line, column) => (MatchedRule?)new MatchedRule(d, text, layer, file, line, column)));

    private static readonly Gen<VerdictSummary> Verdict =
        Gen.Select(OneOf<Decision>(), OneOf<ReasonClass>(), Text, Rule, MaybeText, Gen.Select(OneOf<SandboxMode>(), OneOf<ApprovalPolicy>(),
                OneOf<NetworkAccess>(), Gen.Bool, Gen.Bool, (s, a, n, edits, sandboxed) => new RecordedMode(s, a, n, edits, sandboxed)), Text, Facts)
            .Select(t => new VerdictSummary(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8));

    private static readonly Gen<HookResult> Hook =
        Gen.Select(Text, Text, Maybe(Gen.Int), Maybe(OneOf<Decision>()), MaybeText, Gen.Long[0, TimeSpan.TicksPerDay], MaybeText, MaybeText)
            .SelectMany(t => MaybeText.Select(evt => new HookResult(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, TimeSpan.FromTicks(t.Item6), t.Item7, t.Item8, evt)));

    private static readonly Gen<DateTimeOffset> At =
        Gen.Select(Gen.Long[DateTime.UnixEpoch.Ticks, DateTime.UnixEpoch.Ticks + 100L * 365 * TimeSpan.TicksPerDay], Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes)));

    public static readonly Gen<DecisionRecord> Record =
        Gen.Select(Text, Text, Text, Call, Gen.Int[0, 5], MaybeText, Gen.OneOf(Gen.Const((ImmutableDictionary<string, string>?)null), Input.Select(i => (ImmutableDictionary<string, string>?)i)), Verdict)
            .SelectMany(t => Gen.Select(Hook.Array[0, 4], At, (hooks, at) =>
                new DecisionRecord(new CallId(t.Item1), new AgentId(t.Item2), new SessionId(t.Item3), t.Item4, t.Item5, t.Item6, t.Item7, t.Item8,
                    [.. hooks], at)));

    /// <summary>Every field, dictionaries by content, the received time with its offset: what two equal records share.</summary>
    public static string Fields(DecisionRecord r) => JsonSerializer.Serialize(r with
    {
        Call = r.Call with { Input = r.Call.Input.ToImmutableSortedDictionary(StringComparer.Ordinal).ToImmutableDictionary() },
    }) + Sorted(r.Call.Input) + Sorted(r.UpdatedInput) + r.ReceivedAt.ToString("O");

    private static string Sorted(ImmutableDictionary<string, string>? input) =>
        input is null ? "null" : string.Join("|", input.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

}
