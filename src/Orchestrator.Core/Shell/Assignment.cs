namespace Orchestrator.Core.Shell;

/// <summary><c>Name=Value</c>, or <c>Name+=Value</c> when <see cref="Append"/>.</summary>
public sealed record Assignment(string Name, ShellWord Value, bool Append);
