namespace Orchestrator.Sandbox.Tools;

/// <summary>Whether a rule list ignores a path, whitelists it (a <c>!</c> rule) or says nothing.</summary>
public enum IgnoreMatch
{
    None,
    Ignore,
    Whitelist,
}

/// <summary>
/// One <c>.gitignore</c>-format rule list (also <c>.ignore</c>, <c>.rgignore</c>, and Grep's <c>glob</c> override), as
/// ripgrep's ignore crate reads it: the last matching rule decides; <c>!</c> whitelists; a trailing <c>/</c> matches
/// only directories; a rule with a '/' before its end is anchored to the file's directory, one without matches a name
/// at any depth; blank lines and <c>#</c> comments are skipped, trailing spaces trimmed unless escaped.
/// </summary>
public sealed class IgnoreFile
{
    private readonly record struct Rule(ToolGlob Glob, bool Negated, bool DirectoryOnly);

    private readonly List<Rule> _rules;

    private IgnoreFile(List<Rule> rules) => _rules = rules;

    public bool IsEmpty => _rules.Count == 0;

    public static IgnoreFile Parse(IEnumerable<string> lines)
    {
        var rules = new List<Rule>();
        foreach (var raw in lines)
            if (ParseRule(raw, out _) is { } rule) rules.Add(rule);
        return new IgnoreFile(rules);
    }

    /// <summary>Reads an ignore file; an unreadable or missing one has no rules.</summary>
    public static IgnoreFile Read(string path)
    {
        try { return Parse(File.ReadLines(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new IgnoreFile([]); }
    }

    /// <summary>Globs given on a command line (<c>rg --glob</c>): a plain glob whitelists, <c>!glob</c> ignores.</summary>
    public static IgnoreFile? Overrides(IEnumerable<string> globs, out string? error)
    {
        error = null;
        var rules = new List<Rule>();
        foreach (var glob in globs)
        {
            if (ParseRule(glob, out error) is not { } rule) return error is null ? new IgnoreFile(rules) : null;
            rules.Add(rule with { Negated = !rule.Negated });
        }
        return new IgnoreFile(rules);
    }

    public int WhitelistCount => _rules.Count(r => r.Negated);

    /// <param name="relativePath">The path relative to the directory holding the rules, '/'-separated.</param>
    public IgnoreMatch Match(string relativePath, bool isDirectory)
    {
        for (var i = _rules.Count - 1; i >= 0; i--)
        {
            var rule = _rules[i];
            if (rule.DirectoryOnly && !isDirectory) continue;
            if (rule.Glob.IsMatch(relativePath)) return rule.Negated ? IgnoreMatch.Whitelist : IgnoreMatch.Ignore;
        }
        return IgnoreMatch.None;
    }

    private static Rule? ParseRule(string raw, out string? error)
    {
        error = null;
        var line = raw.TrimEnd('\r');
        if (line.Length == 0 || line[0] == '#') return null;
        while (line.EndsWith(' ') && !line.EndsWith("\\ ", StringComparison.Ordinal)) line = line[..^1];
        var negated = false;
        if (line.StartsWith('!')) { negated = true; line = line[1..]; }
        else if (line.StartsWith("\\!", StringComparison.Ordinal) || line.StartsWith("\\#", StringComparison.Ordinal)) line = line[1..];
        var directoryOnly = false;
        if (line.EndsWith('/') && line.Length > 1) { directoryOnly = true; line = line[..^1]; }
        if (line.Length == 0) return null;
        var anchored = line.Contains('/');
        if (line.StartsWith('/')) line = line[1..];
        if (!anchored && !line.StartsWith("**/", StringComparison.Ordinal)) line = "**/" + line;
        if (ToolGlob.TryCompile(line, out error) is not { } glob) return null;
        return new Rule(glob, negated, directoryOnly);
    }
}
