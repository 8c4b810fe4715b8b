namespace Orchestrator.Core.Policy.Codex;

/// <summary>The outcome a Codex <c>prefix_rule</c> assigns to the commands it matches.</summary>
public enum CodexDecision
{
    /// <summary>The command may run without asking (Codex's default when <c>decision</c> is omitted).</summary>
    Allow,

    /// <summary>The command needs the user's approval.</summary>
    Prompt,

    /// <summary>The command must not run.</summary>
    Forbidden,
}
