namespace Orchestrator.Core.History.Events;

/// <summary>
/// The enforcement layers a run's sandbox said it would apply (<see cref="Active"/>) and those it could not, with why
/// (<see cref="Unavailable"/>), as recorded in <see cref="ExecutionStarted"/>.
/// </summary>
public sealed record RecordedLayers(IReadOnlyList<string> Active, IReadOnlyList<string> Unavailable)
{
    /// <summary>One line, as <c>orchestrator run --explain</c> prints it: <c>kind: active [..]; unavailable [..]</c>.</summary>
    public string Describe(string kind) =>
        $"{kind}: active [{string.Join(", ", Active)}]" + (Unavailable.Count > 0 ? $"; unavailable [{string.Join("; ", Unavailable)}]" : "");
}
