namespace Orchestrator.Core.Paths;

/// <summary>An absolute path protected together with everything beneath it.</summary>
public sealed record ProtectedLocation(string Path, string Why);
