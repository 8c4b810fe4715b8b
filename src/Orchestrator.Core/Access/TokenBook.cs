using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Access;

/// <summary>
/// The issued tokens (pure and immutable): add, list, revoke, and find by the hash of a presented secret. Names are
/// unique, 1–64 characters of letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; an agent token names its agent, the
/// others must not.
/// </summary>
public sealed class TokenBook
{
    public const int MaxNameLength = 64;

    public static readonly TokenBook Empty = new([]);

    private TokenBook(ImmutableArray<TokenRecord> records) => Records = records;

    /// <summary>Oldest first.</summary>
    public ImmutableArray<TokenRecord> Records { get; }

    public bool IsEmpty => Records.IsEmpty;

    public static TokenBook Of(IEnumerable<TokenRecord> records) => new([.. records]);

    /// <summary>The book with a new record, or the one-line reason it cannot be added.</summary>
    public (TokenBook Book, string? Error) Add(TokenRecord record)
    {
        if (NameProblem(record.Name) is { } problem) return (this, problem);
        if (record.Role == Role.Agent && record.Agent is null) return (this, "an agent token needs --agent AGENT-ID");
        if (record.Role != Role.Agent && record.Agent is not null) return (this, $"only agent tokens are bound to an agent; {record.Role.Name()} tokens are not");
        if (record.Agent is { } agent && AgentProblem(agent.Value) is { } agentProblem) return (this, agentProblem);
        if (!record.SubAgents.IsDefaultOrEmpty && record.Role != Role.Agent) return (this, "only agent tokens declare sub-agents");
        foreach (var sub in record.SubAgents.IsDefault ? [] : record.SubAgents)
            if (IdSyntax.Problem("sub-agent id", sub.Value) is { } subProblem) return (this, subProblem);
        if (Records.Any(r => r.Name == record.Name)) return (this, $"a token named {record.Name} already exists (revoke it first)");
        if (record.Hash.Length != 64) return (this, "a token record holds a SHA-256 hash");
        return (new TokenBook(Records.Add(record)), null);
    }

    public (TokenBook Book, TokenRecord? Revoked) Revoke(string name)
    {
        for (var i = 0; i < Records.Length; i++)
            if (Records[i].Name == name) return (new TokenBook(Records.RemoveAt(i)), Records[i]);
        return (this, null);
    }

    /// <summary>The record whose hash is the hash of <paramref name="token"/>; every record is compared, in constant time.</summary>
    public TokenRecord? Find(string token)
    {
        var hash = TokenSecret.Hash(token);
        TokenRecord? found = null;
        foreach (var record in Records)
            if (TokenSecret.HashesEqual(record.Hash, hash)) found = record;
        return found;
    }

    /// <summary>
    /// Whether a session of <paramref name="agent"/> may name a session owned by <paramref name="parentOwner"/> as its
    /// parent: the same agent, or one that an agent token of the owner declared among its sub-agents.
    /// </summary>
    public bool MayJoinTeamOf(AgentId agent, AgentId parentOwner) =>
        agent == parentOwner ||
        Records.Any(r => r.Role == Role.Agent && r.Agent == parentOwner && !r.SubAgents.IsDefault && r.SubAgents.Contains(agent));

    public static string? NameProblem(string name) =>
        name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || name is "." or ".."
            ? $"a token name is 1-{MaxNameLength} characters of letters, digits, '.', '_' and '-', not '{name}'"
            : null;

    private static string? AgentProblem(string agent) => IdSyntax.Problem("agent id", agent);
}
