namespace Orchestrator.Core.Shell;

/// <summary>
/// The outcome of parsing a script. When <see cref="FullyUnderstood"/> is false, <see cref="Problem"/> says why
/// and <see cref="ProblemOffset"/> where; <see cref="Script"/> then holds only what was parsed before the problem
/// and must not be trusted to be complete.
/// </summary>
public sealed record ShellParseResult(ShellScript Script, bool FullyUnderstood, string? Problem, int? ProblemOffset)
{
    /// <summary>Every simple command in the script, including nested ones, in source order.</summary>
    public IReadOnlyList<SimpleCommand> SimpleCommands { get; } = SimpleCommandCollector.Collect(Script);
}
