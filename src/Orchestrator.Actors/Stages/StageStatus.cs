namespace Orchestrator.Actors.Stages;

/// <summary>Asks a stage whether it can serve; answered with <see cref="StageStatus"/>.</summary>
public sealed record GetStageStatus
{
    public static GetStageStatus Instance { get; } = new();
}

/// <summary>Whether a stage can serve now, and if not, why.</summary>
public sealed record StageStatus(string Stage, bool Ready, string? Problem = null)
{
    public static StageStatus Up(string stage) => new(stage, true);
}
