using System.Text.RegularExpressions;

namespace Orchestrator.Core.History;

/// <summary>
/// Finds what looks like a secret value in a text — the value only, the recognisable prefix or variable name stays
/// outside the span. Every pattern runs on the non-backtracking engine, so finding is linear in the input length
/// whatever the input looks like. Values that start as a variable reference (<c>$TOKEN</c>) are not candidates.
/// </summary>
public static class SecretCandidates
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly Regex PemPrivateKey = new(
        @"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?<secret>[\s\S]*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)", Options);

    // NAME=value where NAME ends in _TOKEN/_SECRET/_KEY/_PASSWORD (which also covers *_API_KEY) or is PASSWORD.
    private static readonly Regex SecretAssignment = new(
        @"\b(?:[A-Za-z0-9_]*(?:_TOKEN|_SECRET|_KEY|_PASSWORD)|PASSWORD)=(?<secret>""[^""$]*""|'[^']*'|[^\s""'$;&|)`][^\s;&|)`]*)",
        Options | RegexOptions.IgnoreCase);

    private static readonly Regex AuthorizationHeader = new(
        @"Authorization\s*:\s*(?:Bearer|Basic|Token)\s+(?<secret>[^\s'""$\\][^\s'""\\]*)", Options | RegexOptions.IgnoreCase);

    private static readonly Regex UrlPassword = new(
        @"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@'""]+:(?<secret>[^\s/@'""]+)@", Options);

    private static readonly Regex KnownTokenPrefixes = new(
        @"\b(?:ghp_|gho_|ghs_|ghu_|ghr_)(?<secret>[A-Za-z0-9]{20,})|\bgithub_pat_(?<secret>[A-Za-z0-9_]{20,})|\b(?:AKIA|ASIA)(?<secret>[A-Z0-9]{16})\b" +
        @"|\bsk-ant-(?<secret>[A-Za-z0-9_\-]{10,})|\bsk-(?<secret>[A-Za-z0-9_\-]{16,})|\bxox[abprs]-(?<secret>[A-Za-z0-9\-]{10,})" +
        @"|\beyJ(?<secret>[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        Options);

    private static readonly Regex[] Patterns = [PemPrivateKey, SecretAssignment, AuthorizationHeader, UrlPassword, KnownTokenPrefixes];

    /// <summary>The candidate spans, in text order, none overlapping another (the earlier, then the longer, wins).</summary>
    public static IReadOnlyList<SecretSpan> Find(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        List<SecretSpan>? found = null;
        foreach (var pattern in Patterns)
        {
            // Most texts hold no secret: IsMatch allocates nothing, Matches builds a collection even when empty.
            if (!pattern.IsMatch(text)) continue;
            foreach (Match match in pattern.Matches(text))
            {
                var secret = match.Groups["secret"];
                if (!secret.Success || secret.Length == 0 || secret.Value is "\"\"" or "''") continue;
                (found ??= []).Add(new SecretSpan(secret.Index, secret.Length));
            }
        }
        if (found is null) return [];
        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<SecretSpan>(found.Count);
        foreach (var span in found)
            if (kept.Count == 0 || span.Start >= kept[^1].End) kept.Add(span);
        return kept;
    }
}
