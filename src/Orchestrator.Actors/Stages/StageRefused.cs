using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Stages;

/// <summary>
/// A stage could not handle one message (it threw); the message's call (<see cref="CallId"/>, when the request named
/// one) fails with this reason, the stage goes on.
/// </summary>
public sealed record StageRefused(string Stage, string Reason)
{
    public CallId? CallId { get; init; }
}
