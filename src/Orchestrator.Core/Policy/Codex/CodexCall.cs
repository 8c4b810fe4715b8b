namespace Orchestrator.Core.Policy.Codex;

/// <summary>One argument of a call; <see cref="Name"/> is null for a positional argument.</summary>
internal sealed record CodexArgument(string? Name, SourceLocation? NameLocation, CodexValue Value);

/// <summary>A syntactically complete top-level call such as <c>prefix_rule(pattern = [...])</c>.</summary>
internal sealed record CodexCall(string Function, SourceLocation Location, IReadOnlyList<CodexArgument> Arguments);
