namespace Orchestrator.Core.Paths;

/// <summary>
/// A re-evaluation asked the filesystem a question its record does not answer. Deliberately not an
/// <see cref="IOException"/>: no path check may turn it into "unresolvable" — the whole re-evaluation is undecidable.
/// </summary>
public sealed class FactNotRecordedException(string message) : Exception(message);
