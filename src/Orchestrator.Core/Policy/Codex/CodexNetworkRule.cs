namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// A Codex <c>network_rule(host=..., protocol=..., decision=...)</c>: <see cref="Host"/> is normalised as Codex does
/// (lower case, no port, no brackets, no trailing dot); <see cref="Protocol"/> is http, https, socks5_tcp or socks5_udp.
/// </summary>
public sealed record CodexNetworkRule(
    string Host,
    string Protocol,
    CodexDecision Decision,
    string? Justification,
    SourceLocation Location)
{
    public string Text =>
        $"network_rule(host={CodexQuoting.Quote(Host)}, protocol={CodexQuoting.Quote(Protocol)}, decision={CodexQuoting.Quote(Decision.ToRulesText())})";
}
