using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Core.Access;

/// <summary>
/// Bearer secrets: 32 random bytes, base64url, prefixed <c>orc_</c> (so a leaked one is recognisable). Only their
/// SHA-256 is ever stored; comparisons of hashes are constant-time.
/// </summary>
public static class TokenSecret
{
    public const string Prefix = "orc_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form: lowercase hex SHA-256 of the UTF-8 token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
