namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// The outcome of reading one <c>.rules</c> file: the rules that were fully valid and every error found.
/// Any error means the policy must fail closed, even though the valid rules are still returned.
/// </summary>
public sealed record CodexRulesFile(string Path, IReadOnlyList<CodexPrefixRule> Rules, IReadOnlyList<PolicyLoadError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}
