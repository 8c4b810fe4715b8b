namespace Orchestrator.Core.Classification;

/// <summary>The parsed catalog: programs by name, the directories whose programs are the real ones, and the dangerous environment variables.</summary>
internal sealed class CommandCatalog
{
    private readonly Dictionary<string, ProgramSpec> _programs;
    private readonly Dictionary<string, ProgramSpec>.AlternateLookup<ReadOnlySpan<char>> _programsBySpan;
    private readonly IReadOnlyList<(string Prefix, ProgramSpec Spec)> _prefixPrograms;
    private readonly Dictionary<string, EnvironmentVariableRule> _variables;
    private readonly IReadOnlyList<EnvironmentVariableRule> _variablePrefixes;
    private readonly HashSet<string> _trustedDirectories;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _trustedDirectoriesBySpan;

    public CommandCatalog(
        Dictionary<string, ProgramSpec> programs,
        IReadOnlyList<(string Prefix, ProgramSpec Spec)> prefixPrograms,
        IReadOnlyList<EnvironmentVariableRule> variables,
        IReadOnlyList<string> trustedDirectories)
    {
        _trustedDirectories = new HashSet<string>(trustedDirectories, StringComparer.Ordinal);
        _trustedDirectoriesBySpan = _trustedDirectories.GetAlternateLookup<ReadOnlySpan<char>>();
        _programs = programs;
        _programsBySpan = programs.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixPrograms = prefixPrograms;
        _variables = new Dictionary<string, EnvironmentVariableRule>(StringComparer.Ordinal);
        var prefixes = new List<EnvironmentVariableRule>();
        foreach (var rule in variables)
        {
            if (rule.IsPrefix) prefixes.Add(rule);
            else _variables[rule.Name] = rule;
        }
        _variablePrefixes = prefixes;
    }

    public int ProgramCount => _programs.Count;

    /// <summary>Every program name (aliases included) with its entry; prefix entries under their prefix.</summary>
    public IEnumerable<(string Name, ProgramSpec Spec)> Programs =>
        _programs.Select(pair => (pair.Key, pair.Value)).Concat(_prefixPrograms);

    /// <summary>True when programs in <paramref name="directory"/> are the system's own (so <c>/bin/rm</c> is rm).</summary>
    public bool IsTrustedDirectory(ReadOnlySpan<char> directory) => _trustedDirectoriesBySpan.Contains(directory);

    public ProgramSpec? FindProgram(ReadOnlySpan<char> name)
    {
        if (_programsBySpan.TryGetValue(name, out var spec)) return spec;
        foreach (var (prefix, prefixSpec) in _prefixPrograms)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return prefixSpec;
        }
        return null;
    }

    public EnvironmentVariableRule? FindDangerousVariable(string name)
    {
        if (_variables.TryGetValue(name, out var rule)) return rule;
        foreach (var prefixRule in _variablePrefixes)
        {
            if (name.StartsWith(prefixRule.Name, StringComparison.Ordinal)) return prefixRule;
        }
        return null;
    }
}
