namespace Orchestrator.Core.Classification;

/// <summary>
/// What a command can do, ordered from least to most concerning so that the larger value wins when
/// several parts of a command contribute a risk.
/// </summary>
public enum CommandRisk
{
    ReadOnly,
    WorkspaceWrite,
    Network,
    Unknown,
    Destructive,
}
