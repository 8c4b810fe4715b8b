namespace Orchestrator.Core.Classification;

/// <summary>How a program's positional arguments map to paths.</summary>
/// <param name="Kind">Access for each positional path.</param>
/// <param name="Skip">Leading positionals that are data, not paths (grep's pattern, chmod's mode).</param>
/// <param name="Last">Access for the last positional when there are at least two (cp's destination).</param>
/// <param name="First">Access for the first path when there are at least two (zip's archive).</param>
/// <param name="KeyValue">Positionals written <c>key=path</c> (dd's <c>if=</c>/<c>of=</c>).</param>
internal sealed record PathRule(
    PathAccessKind? Kind,
    int Skip,
    PathAccessKind? Last,
    PathAccessKind? First,
    IReadOnlyDictionary<string, PathAccessKind>? KeyValue);
