namespace Orchestrator.Actors.Storage;

/// <summary>The names of the files in a data directory that the journal depends on (fixed: every area agrees on them).</summary>
public static class JournalKeyFiles
{
    /// <summary>The HMAC key sealing every journal event.</summary>
    public const string JournalKey = "journal.key";

    /// <summary>The AES key encrypting the real input of calls in the journal.</summary>
    public const string InputKey = "input.key";

    /// <summary>How far each session's journal is known to have reached.</summary>
    public const string HighWaterMark = "high-water-mark";

    public static string JournalKeyPath(string dataDirectory) => Path.Combine(dataDirectory, JournalKey);

    public static string InputKeyPath(string dataDirectory) => Path.Combine(dataDirectory, InputKey);

    public static string HighWaterMarkPath(string dataDirectory) => Path.Combine(dataDirectory, HighWaterMark);
}
