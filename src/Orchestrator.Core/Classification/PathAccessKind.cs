namespace Orchestrator.Core.Classification;

public enum PathAccessKind
{
    Read,
    Write,
}
