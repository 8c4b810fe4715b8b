using System.Collections;
using System.Collections.Immutable;

namespace Orchestrator.Sandbox.Process;

/// <summary>
/// Builds a child's complete environment from a source environment (usually ours).
/// <list type="number">
/// <item>From the source, only <see cref="AllowedNames"/> (and <c>LC_*</c>) are kept.</item>
/// <item>Caller-provided variables are added on top, replacing source values.</item>
/// <item>Names matching <see cref="DeniedPatterns"/> (secrets, loader and shell-startup hooks, agent sockets) are
/// dropped from both, even when the caller provides them.</item>
/// <item>Names in the policy's pass-through set override the deny patterns: they are copied from the source when
/// present there and caller-provided values for them are kept. This is the only way a denied name reaches a child,
/// so it belongs to policy, never to a single command's request.</item>
/// </list>
/// Allowed and pass-through names match exactly (environment names are case-sensitive); deny patterns match
/// ignoring case, so <c>github_token</c> is caught too. Names containing <c>=</c> or NUL, and values containing NUL,
/// are dropped because no environment can carry them.
/// </summary>
public sealed class EnvironmentScrubber
{
    public static readonly ImmutableArray<string> AllowedNames =
    [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "LC_*", "TZ", "TMPDIR", "PWD",
        "COLUMNS", "LINES", "NO_COLOR", "CI",
    ];

    public static readonly ImmutableArray<string> DeniedPatterns =
    [
        "*_TOKEN", "*_SECRET", "*_KEY", "*_PASSWORD", "*PASSWD*", "*_CREDENTIALS", "AWS_*", "LD_PRELOAD",
        "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_*", "BASH_ENV", "ENV", "PROMPT_COMMAND", "SSH_AUTH_SOCK", "GIT_ASKPASS",
        "SSH_ASKPASS",
    ];

    public static readonly EnvironmentScrubber Default = new();

    public EnvironmentScrubber(IEnumerable<string>? passThrough = null)
    {
        PassThrough = passThrough?.ToImmutableSortedSet(StringComparer.Ordinal) ?? ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    }

    /// <summary>Names the policy lets through even though they match a deny pattern or are not allowlisted.</summary>
    public ImmutableSortedSet<string> PassThrough { get; }

    public static bool IsAllowed(string name) => AllowedNames.Any(pattern => GlobMatches(pattern, name, StringComparison.Ordinal));

    public static bool IsDenied(string name) => DeniedPatterns.Any(pattern => GlobMatches(pattern, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The child environment for <paramref name="source"/> plus <paramref name="additions"/>.</summary>
    public ImmutableDictionary<string, string> Scrub(
        IEnumerable<KeyValuePair<string, string>> source,
        IEnumerable<KeyValuePair<string, string>>? additions = null)
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in source)
        {
            if (IsRepresentable(name, value) && (PassThrough.Contains(name) || (IsAllowed(name) && !IsDenied(name))))
                result[name] = value;
        }
        foreach (var (name, value) in additions ?? [])
        {
            if (IsRepresentable(name, value) && (PassThrough.Contains(name) || !IsDenied(name)))
                result[name] = value;
        }
        return result.ToImmutable();
    }

    /// <summary>The environment of this process, as a source for <see cref="Scrub"/>.</summary>
    public static ImmutableDictionary<string, string> CurrentProcessEnvironment()
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
                result[name] = value;
        }
        return result.ToImmutable();
    }

    private static bool IsRepresentable(string name, string value) =>
        name.Length > 0 && !name.Contains('=') && !name.Contains('\0') && !value.Contains('\0');

    // Patterns here only use '*' as a wildcard: PREFIX*, *SUFFIX, *INFIX* or an exact name.
    private static bool GlobMatches(string pattern, string name, StringComparison comparison)
    {
        var starts = pattern.StartsWith('*');
        var ends = pattern.EndsWith('*');
        var core = pattern.Trim('*');
        return (starts, ends) switch
        {
            (true, true) => name.Contains(core, comparison),
            (true, false) => name.EndsWith(core, comparison),
            (false, true) => name.StartsWith(core, comparison),
            _ => name.Equals(core, comparison),
        };
    }
}
