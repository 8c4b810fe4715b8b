using System.Collections.Immutable;

namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// What to execute: <see cref="FileName"/> with <see cref="Arguments"/> (no shell). When <see cref="Policy"/> is null
/// the mode is danger-full-access and the command runs directly, unsandboxed, as that mode asks.
/// </summary>
public sealed record SeatbeltLaunchPlan(string FileName, ImmutableArray<string> Arguments, SeatbeltPolicy? Policy)
{
    public bool Sandboxed => Policy is not null;

    /// <summary>The full argv: file name first.</summary>
    public ImmutableArray<string> Argv => [FileName, .. Arguments];
}
