namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Checks one <c>network_rule(host=..., protocol=..., decision=..., justification=...)</c> call with Codex's rules and
/// messages: a specific host (no scheme, path, wildcard or whitespace; a port is dropped), a known protocol, and a
/// decision of allow, prompt, forbidden or its alias deny.
/// </summary>
internal static class CodexNetworkRuleBuilder
{
    public const string Function = "network_rule";
    private static readonly string[] KnownKeywords = ["host", "protocol", "decision", "justification"];

    public static CodexNetworkRule? Build(CodexCall call, List<PolicyLoadError> errors)
    {
        var before = errors.Count;
        var arguments = CodexArguments.Collect(call, KnownKeywords, errors);
        var hostValue = CodexArguments.Required(call, arguments, "host", errors);
        var protocolValue = CodexArguments.Required(call, arguments, "protocol", errors);
        var decisionValue = CodexArguments.Required(call, arguments, "decision", errors);

        string? protocol = null;
        if (protocolValue is not null && CodexArguments.ReadString(protocolValue, "protocol", errors) is { } rawProtocol)
        {
            protocol = rawProtocol switch
            {
                "http" => "http",
                "https" or "https_connect" or "http-connect" => "https",
                "socks5_tcp" => "socks5_tcp",
                "socks5_udp" => "socks5_udp",
                _ => null,
            };
            if (protocol is null)
                errors.Add(new PolicyLoadError(protocolValue.Location,
                    $"invalid rule: network_rule protocol must be one of http, https, socks5_tcp, socks5_udp (got {rawProtocol})"));
        }

        CodexDecision? decision = null;
        if (decisionValue is not null && CodexArguments.ReadString(decisionValue, "decision", errors) is { } rawDecision)
        {
            if (rawDecision == "deny") decision = CodexDecision.Forbidden;
            else if (CodexDecisions.TryParse(rawDecision, out var parsed)) decision = parsed;
            else errors.Add(new PolicyLoadError(decisionValue.Location, $"invalid decision: {rawDecision}"));
        }

        var justification = CodexArguments.ReadJustification(arguments, errors);

        string? host = null;
        if (hostValue is not null && CodexArguments.ReadString(hostValue, "host", errors) is { } rawHost)
        {
            host = NormalizeHost(rawHost, out var problem);
            if (problem is not null) errors.Add(new PolicyLoadError(hostValue.Location, problem));
        }

        return errors.Count > before || host is null || protocol is null || decision is null
            ? null
            : new CodexNetworkRule(host, protocol, decision.Value, justification, call.Location);
    }

    /// <summary>Codex's host normalisation: the hostname or IP literal alone, lower case; null with the reason otherwise.</summary>
    public static string? NormalizeHost(string raw, out string? problem)
    {
        problem = null;
        var host = raw.Trim();
        if (host.Length == 0) return Fail("invalid rule: network_rule host cannot be empty", out problem);
        if (host.Contains("://", StringComparison.Ordinal) || host.IndexOfAny(['/', '?', '#']) >= 0)
            return Fail("invalid rule: network_rule host must be a hostname or IP literal (without scheme or path)", out problem);

        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            if (close < 0) return Fail("invalid rule: network_rule host has an invalid bracketed IPv6 literal", out problem);
            var rest = host[(close + 1)..];
            var portOk = rest.StartsWith(':') && rest.Length > 1 && rest[1..].All(char.IsAsciiDigit);
            if (rest.Length > 0 && !portOk) return Fail($"invalid rule: network_rule host contains an unsupported suffix: {raw}", out problem);
            host = host[1..close];
        }
        else if (host.Count(c => c == ':') == 1)
        {
            var colon = host.LastIndexOf(':');
            var port = host[(colon + 1)..];
            if (colon > 0 && port.Length > 0 && port.All(char.IsAsciiDigit)) host = host[..colon];
        }

        var normalized = host.TrimEnd('.').Trim().ToLowerInvariant();
        if (normalized.Length == 0) return Fail("invalid rule: network_rule host cannot be empty", out problem);
        if (normalized.Contains('*')) return Fail("invalid rule: network_rule host must be a specific host; wildcards are not allowed", out problem);
        if (normalized.Any(char.IsWhiteSpace)) return Fail("invalid rule: network_rule host cannot contain whitespace", out problem);
        return normalized;
    }

    private static string? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }
}
