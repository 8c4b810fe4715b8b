namespace Orchestrator.Core.Policy.Rules;

/// <summary>Glob matching where <c>*</c> matches any run of characters (spaces included); linear backtracking.</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string text) => Match(pattern, text, requireSpaceSuffix: false);

    /// <summary>True when <paramref name="text"/> matches <c>pattern + " *"</c>.</summary>
    public static bool MatchesWithSpaceSuffix(string pattern, string text) => Match(pattern, text, requireSpaceSuffix: true);

    private static bool Match(string pattern, string text, bool requireSpaceSuffix)
    {
        // The virtual pattern is pattern, then (when requireSpaceSuffix) " *".
        var plen = pattern.Length + (requireSpaceSuffix ? 2 : 0);
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < plen)
            {
                var pc = At(pattern, p);
                if (pc == '*')
                {
                    starP = p++;
                    starT = t;
                    continue;
                }
                if (pc == text[t])
                {
                    p++;
                    t++;
                    continue;
                }
            }
            if (starP < 0) return false;
            p = starP + 1;
            t = ++starT;
        }
        while (p < plen && At(pattern, p) == '*') p++;
        return p == plen;
    }

    private static char At(string pattern, int index) =>
        index < pattern.Length ? pattern[index] : index == pattern.Length ? ' ' : '*';
}
