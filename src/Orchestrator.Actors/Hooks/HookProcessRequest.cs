using System.Collections.Immutable;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// One hook process to run: <c>/bin/sh -c Command</c> in <see cref="ProjectDirectory"/> (the workspace root, never the
/// call's cwd) with <see cref="StandardInput"/> on stdin and <see cref="Environment"/> set over the inherited environment.
/// </summary>
public sealed record HookProcessRequest(
    string Command,
    string StandardInput,
    string ProjectDirectory,
    ImmutableDictionary<string, string> Environment);
