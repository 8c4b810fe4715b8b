using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History;

/// <summary>
/// Replaces secrets in tool inputs with <c>***</c> before they are persisted, keeping the recognisable prefix or the
/// variable name. Every pattern runs on the non-backtracking engine, so masking is linear in the input length whatever
/// the input looks like. Values that are variable references (<c>$TOKEN</c>, <c>$(cat f)</c>) are left alone: they are
/// not secrets and keep the command readable.
/// </summary>
public static class SecretMasker
{
    public const string Mask = "***";

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly Regex PemPrivateKey = new(
        @"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)", Options);

    // NAME=value where NAME ends in _TOKEN/_SECRET/_KEY/_PASSWORD (which also covers *_API_KEY) or is PASSWORD.
    private static readonly Regex SecretAssignment = new(
        @"\b([A-Za-z0-9_]*(?:_TOKEN|_SECRET|_KEY|_PASSWORD)|PASSWORD)=(""[^""$]*""|'[^']*'|[^\s""'$;&|)`][^\s;&|)`]*)",
        Options | RegexOptions.IgnoreCase);

    private static readonly Regex AuthorizationHeader = new(
        @"(Authorization\s*:\s*(?:Bearer|Basic|Token)\s+)[^\s'""$\\][^\s'""\\]*", Options | RegexOptions.IgnoreCase);

    private static readonly Regex UrlPassword = new(
        @"([A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@'""]+:)[^\s/@'""]+@", Options);

    private static readonly Regex KnownTokenPrefixes = new(
        @"\b(ghp_|gho_|ghs_|ghu_|ghr_)[A-Za-z0-9]{20,}|\b(github_pat_)[A-Za-z0-9_]{20,}|\b(AKIA|ASIA)[A-Z0-9]{16}\b" +
        @"|\b(sk-ant-)[A-Za-z0-9_\-]{10,}|\b(sk-)[A-Za-z0-9_\-]{16,}|\b(xox[abprs]-)[A-Za-z0-9\-]{10,}" +
        @"|\b(eyJ)[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        Options);

    /// <summary>The text with every recognised secret masked, and how many were masked.</summary>
    public static MaskedText MaskText(string text)
    {
        if (string.IsNullOrEmpty(text)) return new MaskedText(text, 0);
        var count = 0;
        var result = PemPrivateKey.Replace(text, m =>
        {
            count++;
            return m.Groups[1].Value + Mask + m.Groups[2].Value;
        });
        result = SecretAssignment.Replace(result, m =>
        {
            var value = m.Groups[2].Value;
            if (value is "\"\"" or "''") return m.Value;
            count++;
            return m.Groups[1].Value + "=" + Mask;
        });
        result = AuthorizationHeader.Replace(result, m =>
        {
            count++;
            return m.Groups[1].Value + Mask;
        });
        result = UrlPassword.Replace(result, m =>
        {
            count++;
            return m.Groups[1].Value + Mask + "@";
        });
        result = KnownTokenPrefixes.Replace(result, m =>
        {
            count++;
            for (var g = 1; g < m.Groups.Count; g++)
                if (m.Groups[g].Success) return m.Groups[g].Value + Mask;
            return Mask;
        });
        return new MaskedText(result, count);
    }

    /// <summary>The call with every input value masked, and how many secrets were masked in total.</summary>
    public static MaskedCall MaskCall(ToolCall call)
    {
        var (input, total) = MaskInput(call.Input);
        return total == 0 ? new MaskedCall(call, 0) : new MaskedCall(call with { Input = input }, total);
    }

    /// <summary>Every value of a tool input masked, and how many secrets were masked in total.</summary>
    public static (ImmutableDictionary<string, string> Input, int Count) MaskInput(ImmutableDictionary<string, string> input)
    {
        var total = 0;
        var builder = input.ToBuilder();
        foreach (var (key, value) in input)
        {
            var masked = MaskText(value);
            if (masked.Count == 0) continue;
            total += masked.Count;
            builder[key] = masked.Text;
        }
        return total == 0 ? (input, 0) : (builder.ToImmutable(), total);
    }
}
