namespace Orchestrator.Core.Paths;

/// <summary>
/// Asks the disk and remembers every answer in the order given. A question asked again gets the remembered answer,
/// so one evaluation sees one consistent filesystem however often it looks. Not thread-safe: one per evaluation.
/// </summary>
public sealed class RecordingFileView(IFileView disk) : IFileView
{
    private readonly Dictionary<string, FileFact> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Directory, string Segment), FileFact> _matches = [];
    private readonly List<FileFact> _order = [];
    private int _characters;
    private bool _overflowed;
    private bool _sealed;

    public RecordingFileView() : this(LiveFileView.Instance)
    {
    }

    /// <summary>Questions first asked after <see cref="Seal"/>: what gathering should have asked and did not.</summary>
    public int LateQuestions { get; private set; }

    /// <summary>What was observed so far (<see cref="FileFacts.Overflowed"/> once past the caps).</summary>
    public FileFacts Facts => _overflowed ? FileFacts.Overflowed : new FileFacts(_order.ToArray());

    /// <summary>Marks the end of gathering: every later new question is counted in <see cref="LateQuestions"/>.</summary>
    public void Seal() => _sealed = true;

    public FileEntry Probe(string path)
    {
        if (!_probes.TryGetValue(path, out var fact))
        {
            try { fact = FileFact.Probed(path, disk.Probe(path)); }
            catch (IOException e) { fact = new FileFact(path, FileFactKind.Unreadable, Error: e.Message); }
            _probes[path] = fact;
            Remember(fact);
        }
        return fact.AsEntry();
    }

    public IReadOnlyList<string> Matches(string directory, string segment, int limit)
    {
        if (!_matches.TryGetValue((directory, segment), out var fact))
        {
            fact = new FileFact(directory, FileFactKind.Matches, Glob: segment, Names: disk.Matches(directory, segment, limit));
            _matches[(directory, segment)] = fact;
            Remember(fact);
        }
        return fact.Names!;
    }

    public void AssumeDirectory(string directory)
    {
        // Ancestors first, so the record reads in walking order; a recorded directory has its ancestors recorded.
        if (_probes.ContainsKey(directory)) return;
        for (var slash = directory.IndexOf('/', 1); slash > 0; slash = directory.IndexOf('/', slash + 1))
            AssumeOne(directory[..slash]);
        AssumeOne(directory);
    }

    private void AssumeOne(string directory)
    {
        if (_probes.ContainsKey(directory)) return;
        var fact = new FileFact(directory, FileFactKind.Other);
        _probes[directory] = fact;
        Remember(fact);
    }

    private void Remember(FileFact fact)
    {
        if (_sealed) LateQuestions++;
        if (_overflowed) return;
        _characters += fact.Size;
        _order.Add(fact);
        if (_order.Count > FileFacts.MaxEntries || _characters > FileFacts.MaxCharacters)
        {
            _overflowed = true;
            _order.Clear();
        }
    }
}
