namespace Orchestrator.Core.Shell;

/// <summary>
/// The outcome of parsing a script. When <see cref="FullyUnderstood"/> is false, <see cref="Problem"/> says why
/// and <see cref="ProblemOffset"/> where; <see cref="Script"/> then holds only what was parsed before the problem
/// and must not be trusted to be complete.
/// </summary>
public sealed record ShellParseResult(ShellScript Script, bool FullyUnderstood, string? Problem, int? ProblemOffset)
{
    private readonly ShellScript _script = Script;
    private readonly IReadOnlyList<SimpleCommand> _simpleCommands = SimpleCommandCollector.Collect(Script);

    // Recomputes the flattened commands when a copy is made with another script, so `with` cannot leave them stale.
    public ShellScript Script
    {
        get => _script;
        init
        {
            _script = value;
            _simpleCommands = SimpleCommandCollector.Collect(value);
        }
    }

    /// <summary>Every simple command in the script, including nested ones, in source order.</summary>
    public IReadOnlyList<SimpleCommand> SimpleCommands => _simpleCommands;
}
