namespace Orchestrator.Core.Classification;

/// <summary>A path named on the command line that the command reads or writes, exactly as written (not resolved).</summary>
public sealed record PathAccess(string Path, PathAccessKind Kind);
