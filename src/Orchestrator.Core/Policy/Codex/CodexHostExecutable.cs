namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// A Codex <c>host_executable(name=..., paths=[...])</c>: the absolute paths at which the program <see cref="Name"/>
/// may be named in a command and still be covered by the prefix rules written for <see cref="Name"/>.
/// </summary>
public sealed record CodexHostExecutable(string Name, IReadOnlyList<string> Paths, SourceLocation Location);
