using System.Runtime.CompilerServices;

namespace Orchestrator.Core.Paths;

/// <summary>
/// Asks the disk and remembers every answer in the order given. A question asked again gets the remembered answer,
/// so one evaluation sees one consistent filesystem however often it looks. Not thread-safe: one per evaluation.
/// </summary>
public sealed class RecordingFileView(IFileView disk) : IFileView
{
    // Most calls observe a handful of facts: they are looked up in the list itself until an index pays off.
    private const int IndexFrom = 24;

    /// <summary>Every answer, in order; kept past the caps so the live evaluation stays consistent.</summary>
    private readonly List<FileFact> _all = [];
    private Dictionary<string, FileFact>? _probes;
    private Dictionary<(string Directory, string Segment), FileFact>? _matches;
    private int _characters;
    private bool _overflowed;
    private bool _sealed;

    public RecordingFileView() : this(LiveFileView.Instance)
    {
    }

    /// <summary>Questions first asked after <see cref="Seal"/>: what gathering should have asked and did not.</summary>
    public int LateQuestions { get; private set; }

    /// <summary>What was observed so far (<see cref="FileFacts.Overflowed"/> once past the caps).</summary>
    public FileFacts Facts => _overflowed ? FileFacts.Overflowed : new FileFacts(_all.ToArray());

    /// <summary>Marks the end of gathering: every later new question is counted in <see cref="LateQuestions"/>.</summary>
    public void Seal() => _sealed = true;

    public FileEntry Probe(string path)
    {
        if (FindProbe(path) is not { } fact)
        {
            try { fact = FileFact.Probed(path, disk.Probe(path)); }
            catch (IOException e) { fact = new FileFact(path, FileFactKind.Unreadable, Error: e.Message); }
            Remember(fact);
        }
        return fact.AsEntry();
    }

    public IReadOnlyList<string> Matches(string directory, string segment, int limit)
    {
        if (FindMatches(directory, segment) is not { } fact)
        {
            fact = new FileFact(directory, FileFactKind.Matches, Glob: segment, Names: disk.Matches(directory, segment, limit));
            Remember(fact);
        }
        return fact.Names!;
    }

    public void AssumeDirectory(string directory)
    {
        // Ancestors first, so the record reads in walking order; a recorded directory has its ancestors recorded.
        if (FindProbe(directory) is not null) return;
        foreach (var fact in Ancestry.GetValue(directory, DirectoryFacts))
            if (FindProbe(fact.Path) is null) Remember(fact);
    }

    /// <summary>The facts that a canonical directory and each of its ancestors is a directory, made once per directory
    /// string (the snapshot's roots are the same instances call after call).</summary>
    private static readonly ConditionalWeakTable<string, FileFact[]> Ancestry = new();

    private static FileFact[] DirectoryFacts(string directory)
    {
        var facts = new List<FileFact>();
        for (var slash = directory.IndexOf('/', 1); slash > 0; slash = directory.IndexOf('/', slash + 1))
            facts.Add(new FileFact(directory[..slash], FileFactKind.Other));
        facts.Add(new FileFact(directory, FileFactKind.Other));
        return [.. facts];
    }

    private FileFact? FindProbe(string path)
    {
        if (_probes is not null) return _probes.GetValueOrDefault(path);
        foreach (var fact in _all)
            if (fact.Kind != FileFactKind.Matches && string.Equals(fact.Path, path, StringComparison.Ordinal)) return fact;
        return null;
    }

    private FileFact? FindMatches(string directory, string segment)
    {
        if (_matches is not null) return _matches.GetValueOrDefault((directory, segment));
        foreach (var fact in _all)
            if (fact.Kind == FileFactKind.Matches && fact.Glob == segment && string.Equals(fact.Path, directory, StringComparison.Ordinal)) return fact;
        return null;
    }

    private List<(string Path, string Directory, CanonicalPath Result)>? _resolved;

    /// <summary>A resolution already made in this evaluation (gathering, then judging) from the same answers.</summary>
    internal CanonicalPath? Resolved(string path, string workingDirectory)
    {
        if (_resolved is null) return null;
        foreach (var (p, d, result) in _resolved)
            if (string.Equals(p, path, StringComparison.Ordinal) && string.Equals(d, workingDirectory, StringComparison.Ordinal)) return result;
        return null;
    }

    internal void NoteResolved(string path, string workingDirectory, CanonicalPath result)
    {
        if (_resolved is not { Count: >= IndexFrom }) (_resolved ??= []).Add((path, workingDirectory, result));
    }

    private void Remember(FileFact fact)
    {
        if (_sealed) LateQuestions++;
        _all.Add(fact);
        if (_probes is not null) Index(fact);
        else if (_all.Count == IndexFrom)
        {
            _probes = new Dictionary<string, FileFact>(StringComparer.Ordinal);
            _matches = [];
            foreach (var known in _all) Index(known);
        }
        if (_overflowed) return;
        _characters += fact.Size;
        if (_all.Count > FileFacts.MaxEntries || _characters > FileFacts.MaxCharacters) _overflowed = true;
    }

    private void Index(FileFact fact)
    {
        if (fact.Kind == FileFactKind.Matches) _matches![(fact.Path, fact.Glob!)] = fact;
        else _probes![fact.Path] = fact;
    }
}
