namespace Orchestrator.Core.Classification;

/// <summary>The parsed catalog: programs by name and the dangerous environment variables.</summary>
internal sealed class CommandCatalog
{
    private readonly Dictionary<string, ProgramSpec> _programs;
    private readonly Dictionary<string, ProgramSpec>.AlternateLookup<ReadOnlySpan<char>> _programsBySpan;
    private readonly IReadOnlyList<(string Prefix, ProgramSpec Spec)> _prefixPrograms;
    private readonly Dictionary<string, EnvironmentVariableRule> _variables;
    private readonly IReadOnlyList<EnvironmentVariableRule> _variablePrefixes;

    public CommandCatalog(
        Dictionary<string, ProgramSpec> programs,
        IReadOnlyList<(string Prefix, ProgramSpec Spec)> prefixPrograms,
        IReadOnlyList<EnvironmentVariableRule> variables)
    {
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
