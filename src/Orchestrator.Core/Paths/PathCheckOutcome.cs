namespace Orchestrator.Core.Paths;

public enum PathCheckOutcome
{
    Allowed,
    OutsideRoots,
    Protected,
    Unresolvable,
}
