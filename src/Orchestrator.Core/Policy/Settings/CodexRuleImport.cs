using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Codex;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Settings;

/// <summary>
/// Turns a Codex <c>.rules</c> file into what a layer contributes: each <c>prefix_rule</c> a Bash rule matched on the
/// command's words; each <c>network_rule</c> a <c>WebFetch(domain:HOST)</c> rule (allow, ask for prompt, deny for
/// deny/forbidden) with a warning for what is not enforced yet; each <c>host_executable</c> kept for the merge, where
/// it extends the prefix rules of its program to the listed paths (<see cref="CodexHostExecutables.Apply"/>).
/// </summary>
public static class CodexRuleImport
{
    public sealed record Imported(IReadOnlyList<PermissionRule> Rules, IReadOnlyList<PolicyLoadError> Errors, string Digest)
    {
        public IReadOnlyList<PolicyLoadError> Warnings { get; init; } = [];
        public IReadOnlyList<CodexHostExecutable> HostExecutables { get; init; } = [];
    }

    public static Imported Load(string path, SettingsLayer layer, string? homeDirectory, Sources.IPolicyFiles? files = null)
    {
        var observed = (files ?? Sources.PolicyFiles.Disk).Observe(path);
        var file = observed.Kind switch
        {
            Sources.PolicyFileKind.File => CodexRulesParser.FromBytes([.. observed.Bytes], path, homeDirectory),
            Sources.PolicyFileKind.Missing => CodexRulesParser.Unreadable(path, "no such file"),
            Sources.PolicyFileKind.Directory => CodexRulesParser.Unreadable(path, "it is a directory"),
            _ => CodexRulesParser.Unreadable(path, observed.Error ?? "unreadable"),
        };
        var prefixRules = file.Rules.Select(r => new PermissionRule(
            Map(r.Decision), r.Text, ToolNames.Bash, new CodexPrefixSubject(r), new RuleOrigin(layer, r.Location)));
        var networkRules = file.NetworkRules.Select(r => new PermissionRule(
            Map(r.Decision), r.Text, ToolNames.WebFetch, new DomainSubject(AsciiHost(r.Host)), new RuleOrigin(layer, r.Location)));
        var rules = prefixRules.Concat(networkRules).ToArray();
        return new Imported(file.Errors.Count == 0 ? rules : [], file.Errors, observed.Digest)
        {
            Warnings = NetworkWarnings(file.NetworkRules),
            HostExecutables = file.Errors.Count == 0 ? file.HostExecutables : [],
        };
    }

    private static RuleDecision Map(CodexDecision decision) => decision switch
    {
        CodexDecision.Allow => RuleDecision.Allow,
        CodexDecision.Prompt => RuleDecision.Ask,
        _ => RuleDecision.Deny,
    };

    /// <summary>
    /// What a network rule does not do here yet, said at the rule: Codex's proxy applies the host decision to every
    /// connection a command makes; here it decides WebFetch calls, and shell commands reach the network (or not) by the
    /// network setting. And where Codex lets a later rule for the same host win, here the strictest one wins.
    /// </summary>
    private static PolicyLoadError[] NetworkWarnings(IReadOnlyList<CodexNetworkRule> rules)
    {
        var warnings = new List<PolicyLoadError>();
        foreach (var rule in rules)
        {
            var scope = rule.Protocol.StartsWith("socks5", StringComparison.Ordinal)
                ? $"protocol {rule.Protocol} is not distinguished: the rule decides WebFetch calls to {rule.Host}"
                : $"it decides WebFetch calls to {rule.Host}";
            var gap = rule.Decision switch
            {
                CodexDecision.Forbidden => $"shell commands are NOT kept from {rule.Host} when the network setting is on (the sandbox filters no hosts yet)",
                CodexDecision.Prompt => "shell commands follow the network setting",
                _ => "shell commands still follow the network setting (off unless set)",
            };
            warnings.Add(new PolicyLoadError(rule.Location, $"{rule.Text}: {scope}; {gap}"));
        }

        foreach (var group in rules.GroupBy(r => r.Host))
        {
            var decisions = group.ToArray();
            for (var i = 1; i < decisions.Length; i++)
                if (decisions[i].Decision < decisions[..i].Max(r => r.Decision))
                    warnings.Add(new PolicyLoadError(decisions[i].Location,
                        $"{decisions[i].Text} comes after a stricter network_rule for {group.Key}: Codex lets the later rule win, here the strictest one does"));
        }
        return warnings.OrderBy(w => w.Location.Line).ThenBy(w => w.Location.Column).ToArray();
    }

    private static string AsciiHost(string host)
    {
        if (host.All(char.IsAscii)) return host;
        try { return new IdnMapping().GetAscii(host); }
        catch (ArgumentException) { return host; }
    }
}
