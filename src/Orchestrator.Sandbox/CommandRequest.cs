using System.Collections.Immutable;

namespace Orchestrator.Sandbox;

/// <summary>One command to run: program and arguments (no shell unless the program is one), where, and for how long.</summary>
public sealed record CommandRequest(string Program, ImmutableArray<string> Arguments, string WorkingDirectory)
{
    /// <summary>Variables passed to the command on top of the scrubbed base environment.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
    public OutputLimits Output { get; init; } = OutputLimits.Default;
}
