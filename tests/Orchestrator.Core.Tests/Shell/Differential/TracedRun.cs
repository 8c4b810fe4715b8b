namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>What one script did under <see cref="TracedBash"/>.</summary>
/// <param name="Home">The HOME it ran with; <paramref name="WorkingDirectory"/> the directory it started in.</param>
internal sealed record TracedRun(
    string Script,
    IReadOnlyList<ObservedCommand> Executed,
    IReadOnlyList<ObservedCommand> Builtins,
    int ExitCode,
    bool TimedOut,
    string Stderr,
    string Home,
    string WorkingDirectory);
