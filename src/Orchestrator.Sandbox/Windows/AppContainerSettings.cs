using System.Collections.Immutable;

namespace Orchestrator.Sandbox.Windows;

/// <summary>The AppContainer profile to create or reuse and the capability SIDs to grant it.</summary>
public sealed record AppContainerSettings(string Name, ImmutableArray<string> CapabilitySids);
