using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// The kept part of one output stream as text: head and tail decoded as UTF-8 (invalid bytes become U+FFFD), with a
/// marker in between when bytes were dropped.
/// </summary>
public sealed record CapturedText(string Text, bool Truncated, long TotalBytes)
{
    public static CapturedText From(CapturedOutput output) => new(output.Text, output.Truncated, output.TotalBytes);
}
