namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Whether a journal may be opened, from what was found before opening it: the events it holds per persistence id,
/// the high-water mark kept beside it (null when its file is missing), and whether the journal key already existed.
/// A journal behind its mark — emptied, copied without its <c>-wal</c>, restored from an older copy — is refused
/// unless the operator accepts the loss; one that holds events without its key or without a mark is refused.
/// </summary>
public static class JournalStartCheck
{
    public const string AcceptFlag = "--accept-rewound-journal";

    /// <returns>Null when the journal may be opened; else the one line saying why not and the way out.</returns>
    public static string? Refusal(string journal, IReadOnlyDictionary<string, long> stored, HighWaterMark? mark, bool keyExisted, bool acceptRewound)
    {
        var events = stored.Values.Sum();
        if (events > 0 && !keyExisted)
            return $"journal {journal} holds {events} events but its key (journal.key in the data directory) is missing: " +
                   "restore the data directory's journal.key, or start with a new data directory";
        if (acceptRewound) return null;
        if (mark is null)
            return events > 0
                ? $"journal {journal} holds {events} events but the data directory has no high-water mark to check them against " +
                  $"(history may be lost or rewound); restore the data directory's high-water-mark and high-water-mark.log together, or start with {AcceptFlag} to accept the journal as it is (recorded)"
                : null;
        if (mark.FirstBehind(stored) is { } behind)
        {
            var missing = mark.Marks.Sum(m => Math.Max(0, m.Value.SequenceNr - (stored.TryGetValue(m.Key, out var n) ? n : 0)));
            return $"journal {journal} holds {behind.PersistenceId} up to #{behind.StoredSequenceNr} but the high-water mark says #{behind.MarkedSequenceNr} " +
                   $"({missing} of {mark.TotalEvents} events missing: the file was emptied, copied without its -wal, or restored from an older copy); " +
                   $"restore the complete journal, or start with {AcceptFlag} to accept the loss (recorded)";
        }
        return null;
    }
}
