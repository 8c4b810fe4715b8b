namespace Orchestrator.Core.Shell;

/// <summary>Why and where (absolute offset into the top-level source) parsing gave up.</summary>
internal readonly record struct ShellParseProblem(string Message, int Offset);

internal readonly record struct ShellParseOutcome<T>(T Value, ShellParseProblem? Problem);
