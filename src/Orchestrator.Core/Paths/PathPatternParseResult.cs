using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Paths;

/// <summary>Either a compiled pattern or why the spec was rejected.</summary>
public sealed record PathPatternParseResult(PathPattern? Pattern, string? Error)
{
    [MemberNotNullWhen(true, nameof(Pattern))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Pattern is not null;
}
