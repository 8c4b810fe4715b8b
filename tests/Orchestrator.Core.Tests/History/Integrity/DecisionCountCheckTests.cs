using CsCheck;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Tests.History.Integrity;

/// <summary>
/// The history read model's sealed counts as properties over random models (agents × receipt times over four days)
/// and reads (all, an agent's, a window's): a read of every row its whole days hold passes and judges exactly the rows
/// of its window; the same read missing any one row fails; a count deleted, edited or older, or a mark behind the
/// journal, fails before any row is read.
/// </summary>
public sealed class DecisionCountCheckTests
{
    private static readonly byte[] Key = HistoryTallySeal.DeriveKey("journal key of the tests"u8);
    private static readonly long Start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly string[] Agents = ["alice", "bob", "carol"];

    private static readonly Gen<(string Agent, long At)[]> Rows =
        Gen.Select(Gen.Int[0, 2], Gen.Long[0, 4 * TimeSpan.TicksPerDay - 1], (a, t) => (Agents[a], Start + t)).Array[1, 40];

    private static readonly Gen<(DateTimeOffset? From, DateTimeOffset? To, string? Agent)> Reads =
        Gen.Select(Gen.Long[-TimeSpan.TicksPerDay, 5 * TimeSpan.TicksPerDay], Gen.Long[1, 3 * TimeSpan.TicksPerDay], Gen.Int[0, 3], Gen.Int[0, 3],
            (from, length, bounds, agent) => Read(
                (bounds & 1) == 0 ? null : new DateTimeOffset(Start + from, TimeSpan.Zero),
                (bounds & 2) == 0 ? null : new DateTimeOffset(Start + ((bounds & 1) == 0 ? 0 : from) + length, TimeSpan.Zero),
                agent < 3 ? Agents[agent] : null));

    private static (DateTimeOffset? From, DateTimeOffset? To, string? Agent) Read(DateTimeOffset? from, DateTimeOffset? to, string? agent) => (from, to, agent);

    [Fact]
    public void A_read_of_every_row_of_its_days_passes_and_judges_exactly_its_window() =>
        Gen.Select(Rows, Reads).Sample((rows, read) =>
        {
            var check = Begun(rows, read);
            var judged = ReadBy(check, rows, read).Count(row => check.Count(row.Agent, row.At));
            var wanted = rows.Count(r => (read.Agent is null || r.Agent == read.Agent) && (read.From is null || r.At >= read.From.Value.UtcTicks)
                && (read.To is null || r.At < read.To.Value.UtcTicks));
            return check.Finish() is null && judged == wanted;
        });

    [Fact]
    public void A_read_missing_any_one_row_it_selects_fails() =>
        Gen.Select(Rows, Reads, Gen.Int[0, 1000]).Sample((rows, read, pick) =>
        {
            var check = Begun(rows, read);
            var selected = ReadBy(check, rows, read).ToList();
            if (selected.Count == 0) return true;
            selected.RemoveAt(pick % selected.Count);
            foreach (var row in selected) check.Count(row.Agent, row.At);
            return check.Finish() is not null;
        });

    [Fact]
    public void A_count_deleted_edited_or_older_or_a_mark_behind_the_journal_fails_before_any_row_is_read() =>
        Gen.Select(Rows, Reads, Gen.Int[0, 1000], Gen.Int[0, 3]).Sample((rows, read, pick, how) =>
        {
            var tallies = Tallies(rows);
            var total = rows.Length;
            var victim = tallies[pick % tallies.Count];
            var markSeal = HistoryTallySeal.Seal(Key, new HistoryMark(100, total));
            IReadOnlyList<SealedTally> stored = how switch
            {
                0 => [.. tallies.Where(t => t != victim)],
                1 => [.. tallies.Select(t => t == victim ? t with { Tally = t.Tally with { Decisions = t.Tally.Decisions - 1 } } : t)],
                2 => [.. tallies.Select(t => t == victim ? Sealed(t.Tally with { Decisions = t.Tally.Decisions - 1 }) : t)],
                _ => tallies,
            };
            var check = Check(read);
            return how < 3
                ? check.Begin(new HistoryMark(100, total), markSeal, stored, 100) is not null
                : check.Begin(new HistoryMark(99, total), HistoryTallySeal.Seal(Key, new HistoryMark(99, total)), stored, 100) is not null;
        });

    [Fact]
    public void An_empty_model_never_sealed_passes_only_before_the_journal_holds_anything()
    {
        Assert.Null(Check((null, null, null)).Begin(default, null, [], 0));
        Assert.NotNull(Check((null, null, null)).Begin(default, null, [], 1));
        Assert.NotNull(Check((null, null, null)).Begin(new HistoryMark(5, 0), null, [], 0));
    }

    [Fact]
    public void A_read_that_differs_says_what_it_found_where_the_count_said_what_for_which_agent_and_day_and_how_many_others_differ()
    {
        (string, long)[] sealedRows = [("alice", Start), ("alice", Start + 1), ("bob", Start + TimeSpan.TicksPerDay)];
        var check = Begun(sealedRows, (null, null, null));
        check.Count("alice", Start + 5);
        check.Count("bob", Start + TimeSpan.TicksPerDay);
        Assert.Equal("holds 1 decided rows of agent alice received on 2026-12-01 where its sealed count says 2", check.Finish());

        var more = Begun(sealedRows, (null, null, null));
        foreach (var (agent, at) in sealedRows) more.Count(agent, at);
        more.Count("carol", Start + 2 * TimeSpan.TicksPerDay);
        Assert.Equal("holds 1 decided rows of agent carol received on 2026-12-03 where no count is sealed (0 expected)", more.Finish());

        var both = Begun(sealedRows, (null, null, null));
        both.Count("carol", Start + 2 * TimeSpan.TicksPerDay);
        Assert.Equal("holds 0 decided rows of agent alice received on 2026-12-01 where its sealed count says 2, and 2 other agent-days differ too", both.Finish());
    }

    private static DecisionCountCheck Check((DateTimeOffset? From, DateTimeOffset? To, string? Agent) read) => new(Key, read.From, read.To, read.Agent);

    private static DecisionCountCheck Begun((string Agent, long At)[] rows, (DateTimeOffset? From, DateTimeOffset? To, string? Agent) read)
    {
        var check = Check(read);
        var refusal = check.Begin(new HistoryMark(100, rows.Length), HistoryTallySeal.Seal(Key, new HistoryMark(100, rows.Length)), Tallies(rows), 100);
        Assert.Null(refusal);
        return check;
    }

    /// <summary>The rows a read selects in SQL: of its agent, received within its whole days.</summary>
    private static IEnumerable<(string Agent, long At)> ReadBy(DecisionCountCheck check, (string Agent, long At)[] rows,
        (DateTimeOffset? From, DateTimeOffset? To, string? Agent) read) =>
        rows.Where(r => (read.Agent is null || r.Agent == read.Agent) && (check.ReadFrom is null || r.At >= check.ReadFrom) && (check.ReadTo is null || r.At < check.ReadTo));

    private static List<SealedTally> Tallies((string Agent, long At)[] rows) =>
        [.. rows.GroupBy(r => (r.Agent, Day: HistoryTally.DayOf(r.At))).Select(g => Sealed(new HistoryTally(g.Key.Agent, g.Key.Day, g.Count())))];

    private static SealedTally Sealed(HistoryTally tally) => new(tally, HistoryTallySeal.Seal(Key, tally));
}
