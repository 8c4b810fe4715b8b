namespace Orchestrator.Core.Classification;

/// <summary>
/// Collects what the parts of one command contribute (the program's base risk, risky options, paths, inner commands)
/// and turns them into a <see cref="CommandClassification"/>.
/// </summary>
internal sealed class VerdictBuilder
{
    private CommandRisk _baseRisk;
    private string _baseReason;
    private CommandRisk? _raisedRisk;
    private string? _raisedReason;
    private bool _raisedByHatch;
    private List<PathAccess>? _paths;
    private List<EscapeHatchUse>? _hatches;
    private List<InnerCommand>? _inner;

    public VerdictBuilder(string program, CommandRisk baseRisk, string baseReason)
    {
        Program = program;
        _baseRisk = baseRisk;
        _baseReason = baseReason;
    }

    public string Program { get; }
    public bool IsEscapeHatch { get; private set; }
    public string? InnerScript { get; set; }
    public string? ChangesDirectoryTo { get; set; }

    /// <summary>Records a command this one runs, starting at <paramref name="start"/> in its argv.</summary>
    public void AddInnerCommand(IReadOnlyList<string> argv, int start, string? workingDirectory = null)
    {
        if (argv.Count > 0) (_inner ??= new List<InnerCommand>(1)).Add(new InnerCommand(argv, start, workingDirectory));
    }

    /// <summary>The words of <paramref name="argv"/> from <paramref name="start"/> on, as a wrapped command.</summary>
    public void AddInnerCommandFrom(IReadOnlyList<string> argv, int start, string? workingDirectory = null) =>
        AddInnerCommand(WrapperAnalyzer.Slice(argv, start), start, workingDirectory);

    public void SetBase(CommandRisk risk, string reason)
    {
        _baseRisk = risk;
        _baseReason = reason;
    }

    /// <summary>
    /// Records a risk contribution. The highest contribution wins, an escape hatch names the reason on a tie, and a
    /// contribution at least as high as the base replaces the base reason because it is more specific.
    /// An escape hatch is also remembered with the option that opened it (<paramref name="option"/>, null for a
    /// construct inside a script), so an allow rule can be asked whether it names that option.
    /// </summary>
    public void Raise(CommandRisk risk, string reason, bool escapeHatch = false, OptionSpec? option = null) =>
        Raise(risk, reason, escapeHatch, option?.Name, option?.Names ?? []);

    /// <summary>A program or subcommand that is an escape hatch as a whole (editors): a rule naming it names the hatch.</summary>
    public void RaiseForName(CommandRisk risk, string reason, string name) => Raise(risk, reason, true, name, [name]);

    private void Raise(CommandRisk risk, string reason, bool escapeHatch, string? construct, IReadOnlyList<string> aliases)
    {
        if (escapeHatch)
        {
            IsEscapeHatch = true;
            (_hatches ??= new List<EscapeHatchUse>(1)).Add(new EscapeHatchUse(construct, aliases, risk, reason));
        }
        if (_raisedRisk is null || risk > _raisedRisk || (risk == _raisedRisk && escapeHatch && !_raisedByHatch))
        {
            _raisedRisk = risk;
            _raisedReason = reason;
            _raisedByHatch = escapeHatch;
        }
    }

    public void AddPath(string path, PathAccessKind kind)
    {
        if (path.Length == 0 || path == "-") return;
        (_paths ??= new List<PathAccess>(2)).Add(new PathAccess(path, kind));
    }

    private string? FirstWrittenPath()
    {
        foreach (var access in _paths ?? [])
        {
            if (access.Kind == PathAccessKind.Write) return access.Path;
        }
        return null;
    }

    /// <summary>The verdict; a command that writes a named path is never read-only, whatever its parts said.</summary>
    public CommandClassification Build()
    {
        var risk = _baseRisk;
        var reason = _baseReason;
        if (_raisedRisk is { } raised && raised >= _baseRisk)
        {
            risk = raised;
            reason = _raisedReason!;
        }
        if (risk == CommandRisk.ReadOnly && FirstWrittenPath() is { } written)
        {
            risk = CommandRisk.WorkspaceWrite;
            reason = $"{Program} writes '{written}'";
        }
        return new CommandClassification(risk, reason, Program, _paths is null ? [] : _paths.ToArray(),
            _inner is null ? [] : _inner.ToArray(), InnerScript, ChangesDirectoryTo, IsEscapeHatch)
        {
            EscapeHatches = _hatches is null ? [] : _hatches.ToArray(),
        };
    }
}
