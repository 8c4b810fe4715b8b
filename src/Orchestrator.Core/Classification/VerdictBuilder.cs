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

    public VerdictBuilder(string program, CommandRisk baseRisk, string baseReason)
    {
        Program = program;
        _baseRisk = baseRisk;
        _baseReason = baseReason;
    }

    public string Program { get; }
    public bool IsEscapeHatch { get; private set; }
    public IReadOnlyList<string>? InnerCommand { get; set; }
    public string? InnerScript { get; set; }
    public string? ChangesDirectoryTo { get; set; }
    public string? InnerWorkingDirectory { get; set; }

    public void SetBase(CommandRisk risk, string reason)
    {
        _baseRisk = risk;
        _baseReason = reason;
    }

    /// <summary>
    /// Records a risk contribution. The highest contribution wins, an escape hatch names the reason on a tie, and a
    /// contribution at least as high as the base replaces the base reason because it is more specific.
    /// </summary>
    public void Raise(CommandRisk risk, string reason, bool escapeHatch = false)
    {
        if (escapeHatch) IsEscapeHatch = true;
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
            InnerCommand, InnerScript, ChangesDirectoryTo, IsEscapeHatch)
        {
            InnerWorkingDirectory = InnerWorkingDirectory,
        };
    }
}
