namespace Orchestrator.Core.Policy.Rules;

/// <summary>Why a rule string gave no rule.</summary>
public enum RuleProblem
{
    None,

    /// <summary>Claude Code reads the string as a rule that can match no call (<c>Bash(rm -r /)*</c>): it has no effect there either.</summary>
    NeverMatches,

    /// <summary>Claude Code rejects the string, or its subject (pattern, path, domain) cannot be read.</summary>
    Malformed,
}
