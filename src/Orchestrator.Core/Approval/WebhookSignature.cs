using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The HMAC-SHA256 signature of a webhook body, sent as <c>X-Orchestrator-Signature: sha256=HEX</c> (lower-case hex of
/// HMAC-SHA256(secret, exact body bytes)), so a receiver that knows the secret can tell the POST came from this server.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Orchestrator-Signature";
    private const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Whether <paramref name="header"/> is the signature of <paramref name="body"/> (compared in constant time).</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
