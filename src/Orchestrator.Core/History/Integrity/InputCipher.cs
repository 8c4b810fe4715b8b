using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Encrypts a call's real input for the journal (AES-256-GCM, key DATA/input.key, bound to the call id), so the
/// history shows the masked input while a call recovered after a restart runs what was really submitted.
/// </summary>
public sealed class InputCipher(byte[] key)
{
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public string Seal(CallId call, ImmutableDictionary<string, string> input)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(input);
        var sealedBytes = new byte[NonceLength + TagLength + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength),
            Encoding.UTF8.GetBytes(call.Value));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The input sealed for <paramref name="call"/>, or null when it cannot be opened (other key, other call, damaged).</summary>
    public ImmutableDictionary<string, string>? Open(CallId call, string sealedInput)
    {
        try
        {
            var bytes = Convert.FromBase64String(sealedInput);
            if (bytes.Length < NonceLength + TagLength) return null;
            var plain = new byte[bytes.Length - NonceLength - TagLength];
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(bytes.AsSpan(0, NonceLength), bytes.AsSpan(NonceLength + TagLength), bytes.AsSpan(NonceLength, TagLength), plain,
                Encoding.UTF8.GetBytes(call.Value));
            return JsonSerializer.Deserialize<ImmutableDictionary<string, string>>(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
