namespace Orchestrator.Sandbox.Windows;

/// <summary>One <c>NAME=value</c> entry of a Windows environment block.</summary>
public sealed record EnvironmentVariable(string Name, string Value);
