using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Tests.History.Integrity;

public class JournalStartCheckTests
{
    private static readonly byte[] Head = new byte[32];
    private static readonly HighWaterMark Mark = HighWaterMark.Empty.With("session-a", 5, Head).With("session-b", 2, Head);

    private static Dictionary<string, long> Stored(long a, long b) => new() { ["session-a"] = a, ["session-b"] = b };

    [Fact]
    public void A_journal_at_its_mark_opens() =>
        Assert.Null(JournalStartCheck.Refusal("j.db", Stored(5, 2), Mark, keyExisted: true, acceptRewound: false));

    [Fact]
    public void A_journal_ahead_of_its_mark_opens_since_the_mark_is_written_after_the_journal() =>
        Assert.Null(JournalStartCheck.Refusal("j.db", Stored(7, 2), Mark, keyExisted: true, acceptRewound: false));

    [Fact]
    public void A_journal_behind_its_mark_is_refused_in_one_line_naming_it_the_session_and_the_way_out()
    {
        var refusal = JournalStartCheck.Refusal("/data/j.db", Stored(5, 1), Mark, keyExisted: true, acceptRewound: false);
        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal);
        Assert.Contains("/data/j.db", refusal, StringComparison.Ordinal);
        Assert.Contains("session-b up to #1", refusal, StringComparison.Ordinal);
        Assert.Contains("#2", refusal, StringComparison.Ordinal);
        Assert.Contains(JournalStartCheck.AcceptFlag, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void An_emptied_journal_is_refused_when_a_mark_exists() =>
        Assert.Contains("7 of 7 events missing",
            JournalStartCheck.Refusal("j.db", new Dictionary<string, long>(), Mark, keyExisted: true, acceptRewound: false));

    [Fact]
    public void Accepting_the_loss_opens_a_rewound_journal() =>
        Assert.Null(JournalStartCheck.Refusal("j.db", Stored(1, 1), Mark, keyExisted: true, acceptRewound: true));

    [Fact]
    public void Events_without_a_mark_are_refused_unless_accepted()
    {
        Assert.NotNull(JournalStartCheck.Refusal("j.db", Stored(1, 0), mark: null, keyExisted: true, acceptRewound: false));
        Assert.Null(JournalStartCheck.Refusal("j.db", Stored(1, 0), mark: null, keyExisted: true, acceptRewound: true));
    }

    [Fact]
    public void A_new_journal_without_a_mark_opens() =>
        Assert.Null(JournalStartCheck.Refusal("j.db", new Dictionary<string, long>(), mark: null, keyExisted: false, acceptRewound: false));

    [Fact]
    public void Events_without_their_key_are_refused_even_when_the_loss_is_accepted() =>
        Assert.Contains("journal.key", JournalStartCheck.Refusal("j.db", Stored(5, 2), Mark, keyExisted: false, acceptRewound: true));

    [Fact]
    public void The_mark_survives_its_file_format_and_refuses_other_text()
    {
        Assert.Equal(Mark.Marks, HighWaterMark.Parse(Mark.Format()).Marks);
        Assert.Throws<FormatException>(() => HighWaterMark.Parse("{}"));
        Assert.Throws<FormatException>(() => HighWaterMark.Parse("not json"));
    }
}
