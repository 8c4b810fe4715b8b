using Orchestrator.Core.History.Events;

namespace Orchestrator.Sandbox;

/// <summary>Which enforcement layers a sandbox applied (or would apply) and which it could not, with why.</summary>
public sealed record SandboxLayers(string Kind, IReadOnlyList<string> Active, IReadOnlyList<string> Unavailable)
{
    public static SandboxLayers None(string why) => new("none", [], [why]);

    /// <summary>What <c>ExecutionStarted</c> records of these layers (the kind is recorded on its own).</summary>
    public RecordedLayers Recorded => new(Active, Unavailable);

    public override string ToString() => Recorded.Describe(Kind);
}
