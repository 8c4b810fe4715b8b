namespace Orchestrator.Sandbox;

/// <summary>Which enforcement layers a sandbox applied (or would apply) and which it could not, with why.</summary>
public sealed record SandboxLayers(string Kind, IReadOnlyList<string> Active, IReadOnlyList<string> Unavailable)
{
    public static SandboxLayers None(string why) => new("none", [], [why]);

    public override string ToString() =>
        $"{Kind}: active [{string.Join(", ", Active)}]" + (Unavailable.Count > 0 ? $"; unavailable [{string.Join("; ", Unavailable)}]" : "");
}
