namespace Orchestrator.Core.Shell;

/// <summary>
/// Pipelines joined by <c>&amp;&amp;</c> / <c>||</c>; <see cref="Operators"/> has one entry between each
/// pair of pipelines. <see cref="Background"/> is true when the list was terminated by <c>&amp;</c>.
/// </summary>
public sealed record AndOrList(IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<string> Operators, bool Background);
