namespace Orchestrator.Core.Policy;

/// <summary>A place in a policy source file; lines and columns count from 1.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation Inline(string origin) => new(origin, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
