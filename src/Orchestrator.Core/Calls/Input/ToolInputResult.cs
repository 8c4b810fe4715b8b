using System.Collections.Immutable;

namespace Orchestrator.Core.Calls.Input;

/// <summary>The typed input, or why it was refused.</summary>
public sealed record ToolInputResult(ImmutableDictionary<string, string>? Values, string? Error)
{
    public static ToolInputResult Ok(ImmutableDictionary<string, string> values) => new(values, null);

    public static ToolInputResult Invalid(string error) => new(null, error);
}
