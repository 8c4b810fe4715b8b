namespace Orchestrator.Actors.Hooks;

/// <summary>One hook process to run: <c>/bin/sh -c Command</c> in <see cref="WorkingDirectory"/> with <see cref="StandardInput"/> on stdin.</summary>
public sealed record HookProcessRequest(string Command, string StandardInput, string? WorkingDirectory);
