namespace Orchestrator.Actors.Journal;

/// <summary>The history read model did not reach the journal's end within a read's bound (being built, or its follower failing); retrying may succeed.</summary>
public sealed class HistoryModelBehindException(string table, long position, long journalEnd) : Exception(
    $"the history read model ({table}) is behind the journal (at position {Math.Max(0, position)} of {journalEnd}): it is being built or " +
    "caught up from the journal; retry shortly")
{
    public long Position { get; } = position;

    public long JournalEnd { get; } = journalEnd;
}
