using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Policy.Codex;

/// <summary>Maps between <see cref="CodexDecision"/> values and their spelling in <c>.rules</c> files.</summary>
public static class CodexDecisions
{
    /// <summary>The decision spellings Codex accepts, in order of increasing strictness.</summary>
    public static IReadOnlyList<string> Names { get; } = ["allow", "prompt", "forbidden"];

    /// <summary>Reads an exact, lower-case decision spelling such as <c>"prompt"</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CodexDecision? decision)
    {
        decision = text switch
        {
            "allow" => CodexDecision.Allow,
            "prompt" => CodexDecision.Prompt,
            "forbidden" => CodexDecision.Forbidden,
            _ => null,
        };
        return decision is not null;
    }

    /// <summary>The spelling used in <c>.rules</c> files, e.g. <c>"forbidden"</c>.</summary>
    public static string ToRulesText(this CodexDecision decision) => decision switch
    {
        CodexDecision.Allow => "allow",
        CodexDecision.Prompt => "prompt",
        CodexDecision.Forbidden => "forbidden",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Unknown Codex decision."),
    };
}
