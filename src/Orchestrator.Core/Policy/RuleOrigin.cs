namespace Orchestrator.Core.Policy;

/// <summary>Where a rule or setting came from: its layer and its place in the source file.</summary>
public sealed record RuleOrigin(SettingsLayer Layer, SourceLocation Location)
{
    public override string ToString() => $"{Layer.Name()} {Location}";
}
