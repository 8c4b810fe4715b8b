namespace Orchestrator.Core.Access;

/// <summary>
/// Bearer → principal. With tokens issued, only a token authenticates. With none (one local user), the server's own
/// secret makes the local user, and a request without credentials is a <see cref="Principal.LocalCaller"/>; a wrong
/// secret is refused either way (fail closed). A server started with tokens never falls back to local mode, even when
/// every token has been revoked (<paramref name="serverSecretHash"/> is then null).
/// </summary>
public static class Authenticator
{
    public const string Scheme = "Bearer";

    /// <param name="authorization">The <c>Authorization</c> header, if any.</param>
    /// <param name="serverSecretHash">The SHA-256 of the server secret (local mode), if there is one.</param>
    public static (Principal? Principal, string? Problem) Authenticate(string? authorization, TokenBook tokens, string? serverSecretHash)
    {
        var localMode = tokens.IsEmpty && serverSecretHash is not null;
        if (tokens.IsEmpty && !localMode) return (null, "no token is issued on this server (orchestrator tokens add)");
        if (string.IsNullOrEmpty(authorization))
            return localMode ? (Principal.LocalCaller, null) : (null, "a bearer token is required");
        if (!authorization.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= Scheme.Length + 1)
            return (null, "the Authorization header must be 'Bearer TOKEN'");
        var token = authorization[(Scheme.Length + 1)..].Trim();
        if (!tokens.IsEmpty)
            return tokens.Find(token) is { } record ? (record.Principal, null) : (null, "the bearer token is not valid (unknown or revoked)");
        return serverSecretHash is not null && TokenSecret.HashesEqual(TokenSecret.Hash(token), serverSecretHash)
            ? (Principal.LocalUser, null)
            : (null, "the bearer token is not valid (this server has no tokens; the local user sends the server secret)");
    }
}
