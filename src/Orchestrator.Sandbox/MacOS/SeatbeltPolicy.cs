using System.Collections.Immutable;

namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// A Seatbelt profile and the values of its parameters. Every path lives in <see cref="Parameters"/>
/// (<c>KEY=VALUE</c>, each passed to <c>sandbox-exec</c> as <c>-D KEY=VALUE</c>); the profile text only names them
/// with <c>(param "KEY")</c>, so no path is ever spliced into SBPL.
/// </summary>
public sealed record SeatbeltPolicy(string ProfileText, ImmutableArray<string> Parameters);
