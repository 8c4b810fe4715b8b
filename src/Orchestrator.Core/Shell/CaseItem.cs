namespace Orchestrator.Core.Shell;

/// <summary>
/// <c>pattern|pattern) Body ;;</c>. <see cref="Terminator"/> is <c>;;</c>, <c>;&amp;</c>, <c>;;&amp;</c>,
/// or empty for a last item closed directly by <c>esac</c>.
/// </summary>
public sealed record CaseItem(IReadOnlyList<ShellWord> Patterns, ShellScript Body, string Terminator);
