using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>How a Bash rule matched a command: as written, by the program's name when it was called by path, or as
/// the program reads it (<see cref="ShapeMatch"/>), in which case <see cref="ReadAs"/> is that reading.</summary>
internal sealed record BashRuleHit(PermissionRule Rule, string? ReadAs = null)
{
    /// <summary>Words for a finding's message: why this rule covers this spelling of the command.</summary>
    public string Explain(string verb) => ReadAs is null
        ? $"matches {verb} rule"
        : Suffix ? $"matches {verb} rule: {ReadAs}"
        : $"matches {verb} rule as the program reads it ({ReadAs}; global options skipped, options in any order and spelling)";

    /// <summary>The rule matched the command's trailing words, which a program we do not know may run as a command.</summary>
    public bool Suffix { get; init; }
}
