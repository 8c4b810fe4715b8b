using Orchestrator.Core.Policy.Codex;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>Turns a Codex <c>.rules</c> file into permission rules of a layer.</summary>
public static class CodexRuleImport
{
    public sealed record Imported(IReadOnlyList<PermissionRule> Rules, IReadOnlyList<PolicyLoadError> Errors, string Digest);

    public static Imported Load(string path, SettingsLayer layer)
    {
        var file = CodexRulesParser.Load(path);
        var rules = file.Rules.Select(r => new PermissionRule(
            Map(r.Decision), r.Text, Calls.ToolNames.Bash, new CodexPrefixSubject(r), new RuleOrigin(layer, r.Location))).ToArray();
        return new Imported(file.Errors.Count == 0 ? rules : [], file.Errors, Digest(path));
    }

    private static RuleDecision Map(CodexDecision decision) => decision switch
    {
        CodexDecision.Allow => RuleDecision.Allow,
        CodexDecision.Prompt => RuleDecision.Ask,
        _ => RuleDecision.Deny,
    };

    private static string Digest(string path)
    {
        try { return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
