namespace Orchestrator.Core.Paths;

/// <summary>
/// Answers only from recorded <see cref="FileFacts"/>; anything else — a question not recorded, facts past the caps,
/// a fact whose strings were masked — throws <see cref="FactNotRecordedException"/>, so a re-evaluation never guesses.
/// </summary>
public sealed class RecordedFileView : IFileView
{
    private readonly FileFacts _facts;
    private readonly Dictionary<string, FileFact> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Directory, string Segment), FileFact> _matches = [];

    public RecordedFileView(FileFacts facts)
    {
        _facts = facts;
        foreach (var fact in facts.Entries)
        {
            if (fact.Masked) continue;
            if (fact.Kind == FileFactKind.Matches) _matches.TryAdd((fact.Path, fact.Glob ?? ""), fact);
            else _probes.TryAdd(fact.Path, fact);
        }
    }

    public FileEntry Probe(string path) =>
        _probes.TryGetValue(path, out var fact) ? fact.AsEntry() : throw NotRecorded($"what {path} is");

    public IReadOnlyList<string> Matches(string directory, string segment, int limit) =>
        _matches.TryGetValue((directory, segment), out var fact) && fact.Names is { } names
            ? names
            : throw NotRecorded($"which names '{segment}' matches in {directory}");

    /// <summary>The facts this view answers from.</summary>
    public FileFacts Facts => _facts;

    public void AssumeDirectory(string directory)
    {
    }

    private FactNotRecordedException NotRecorded(string question) => new(
        !_facts.Complete ? $"the call observed more of the filesystem than is recorded (over {FileFacts.MaxEntries} facts or {FileFacts.MaxCharacters} characters), so {question} is not known"
        : _facts.AnyMasked ? $"{question} was not recorded, or was recorded with a secret masked"
        : $"{question} was not recorded when the call was judged");
}
