namespace Orchestrator.Core.Policy.Codex;

/// <summary>An inline <c>match</c>/<c>not_match</c> example: its tokens, how it was written, and where.</summary>
internal sealed record CodexExample(IReadOnlyList<string> Argv, string Display, SourceLocation Location);
