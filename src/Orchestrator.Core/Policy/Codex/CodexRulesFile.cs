namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// The outcome of reading one <c>.rules</c> file: the prefix rules, host executables and network rules that were fully
/// valid, and every error found. Any error means the policy must fail closed, even though the valid parts are returned.
/// </summary>
public sealed record CodexRulesFile(string Path, IReadOnlyList<CodexPrefixRule> Rules, IReadOnlyList<PolicyLoadError> Errors)
{
    public IReadOnlyList<CodexHostExecutable> HostExecutables { get; init; } = [];
    public IReadOnlyList<CodexNetworkRule> NetworkRules { get; init; } = [];

    public bool HasErrors => Errors.Count > 0;
}
