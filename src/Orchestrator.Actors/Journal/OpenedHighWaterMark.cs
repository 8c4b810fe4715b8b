using Akka.Actor.Setup;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The high-water mark as the start check read it (<see cref="Storage.JournalOpening.Check"/>; lowered when a rewound
/// journal was accepted), handed to the journal's <see cref="HighWaterMarkFile"/> through the actor system's setup: the
/// mark and its log — megabytes at 10,000 sessions — are read once per start, and the journal starts from the very mark
/// the check let it open with.
/// </summary>
public sealed class OpenedHighWaterMark(string path, HighWaterMark mark) : Setup
{
    private readonly string _path = Path.GetFullPath(path);

    /// <summary>The mark read from <paramref name="markPath"/>; null when this one was read from another file.</summary>
    public HighWaterMark? For(string markPath) => string.Equals(Path.GetFullPath(markPath), _path, StringComparison.Ordinal) ? mark : null;
}
