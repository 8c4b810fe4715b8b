using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Policy.Rules;

/// <summary>What a rule says about the call's subject, beyond the tool name.</summary>
public abstract record RuleSpecifier;

/// <summary>No specifier: the rule covers every call of the tool.</summary>
public sealed record AnySubject : RuleSpecifier
{
    public static readonly AnySubject Instance = new();
}

public sealed record BashSubject(BashCommandPattern Pattern) : RuleSpecifier;

public sealed record PathSubject(PathPattern Pattern, string Text) : RuleSpecifier;

/// <summary>
/// <c>WebFetch(domain:example.com)</c>; <c>*.example.com</c> covers subdomains only. A fully qualified host
/// (<c>example.com.</c>) is the same host.
/// </summary>
public sealed record DomainSubject(string Domain) : RuleSpecifier
{
    public bool Matches(string host)
    {
        if (host.EndsWith('.')) host = host[..^1];
        if (Domain.StartsWith("*.", StringComparison.Ordinal))
            return host.EndsWith(Domain[1..], StringComparison.OrdinalIgnoreCase) && host.Length > Domain.Length - 1;
        return string.Equals(host, Domain, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A Codex <c>prefix_rule</c>, matched on the command's words.</summary>
public sealed record CodexPrefixSubject(CodexPrefixRule Rule) : RuleSpecifier;

/// <summary>A specifier for a tool we have no structure for, matched as a wildcard against each input value.</summary>
public sealed record GenericSubject(string Pattern) : RuleSpecifier;
