namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// The <c>host_executable</c> entries in force, by program name; a later entry for a name replaces an earlier one, as in
/// Codex.
/// </summary>
public sealed class CodexHostExecutables
{
    private readonly Dictionary<string, CodexHostExecutable> _byName = new(StringComparer.Ordinal);

    public static CodexHostExecutables Of(IEnumerable<CodexHostExecutable> inLoadOrder)
    {
        var hosts = new CodexHostExecutables();
        foreach (var host in inLoadOrder) hosts._byName[host.Name] = host;
        return hosts;
    }

    public int Count => _byName.Count;

    /// <summary>
    /// Codex's resolution, used for inline examples: an exact match, or — for a command naming its program by absolute
    /// path — a match of the rule for the path's basename, allowed unless a <c>host_executable</c> for that name lists
    /// other paths only.
    /// </summary>
    public bool ExampleMatches(CodexPrefixRule rule, IReadOnlyList<string> argv)
    {
        if (rule.Matches(argv)) return true;
        if (argv.Count == 0 || !argv[0].StartsWith('/')) return false;
        var program = Path.GetFullPath(argv[0]);
        var baseName = Path.GetFileName(program);
        if (baseName.Length == 0) return false;
        if (_byName.TryGetValue(baseName, out var host) && !host.Paths.Contains(program, StringComparer.Ordinal)) return false;
        return rule.Matches([baseName, .. argv.Skip(1)]);
    }

    /// <summary>
    /// The rule as enforced here: for each program name at its first position that has a <c>host_executable</c>, the
    /// listed paths are accepted there too. Without an entry a rule covers its program only as written (Codex also lets
    /// it cover the program at any absolute path; here allow rules never stretch that far). Null when nothing changes.
    /// </summary>
    public CodexPrefixRule? Apply(CodexPrefixRule rule)
    {
        var first = rule.Pattern[0];
        var paths = first.Where(_byName.ContainsKey).SelectMany(name => _byName[name].Paths).Where(p => !first.Contains(p)).Distinct().ToArray();
        if (paths.Length == 0) return null;
        return rule with { Pattern = [[.. first, .. paths], .. rule.Pattern.Skip(1)] };
    }
}
