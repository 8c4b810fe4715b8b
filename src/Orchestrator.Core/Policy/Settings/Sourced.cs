namespace Orchestrator.Core.Policy.Settings;

/// <summary>A setting's value with the layer and place that set it.</summary>
public sealed record Sourced<T>(T Value, RuleOrigin Origin);
