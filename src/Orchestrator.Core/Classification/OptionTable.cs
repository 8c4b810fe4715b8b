namespace Orchestrator.Core.Classification;

/// <summary>A program's known options, indexed for allocation-free lookup from argument spans.</summary>
internal sealed class OptionTable
{
    public static readonly OptionTable Empty = new(new Dictionary<string, OptionSpec>(StringComparer.Ordinal));

    private readonly Dictionary<string, OptionSpec> _byName;
    private readonly Dictionary<string, OptionSpec>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<char, OptionSpec> _short = new();
    private readonly List<OptionSpec> _long = new();

    public OptionTable(Dictionary<string, OptionSpec> byName)
    {
        _byName = byName;
        _bySpan = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (name, spec) in byName)
        {
            if (name.Length == 2 && name[0] == '-' && name[1] != '-')
                _short[name[1]] = spec;
            else if (name.StartsWith("--", StringComparison.Ordinal))
                _long.Add(spec);
        }
    }

    public IReadOnlyDictionary<string, OptionSpec> All => _byName;

    public bool IsEmpty => _byName.Count == 0;

    public bool TryGet(ReadOnlySpan<char> name, out OptionSpec spec) => _bySpan.TryGetValue(name, out spec!);

    public bool TryGetShort(char letter, out OptionSpec spec) => _short.TryGetValue(letter, out spec!);

    /// <summary>
    /// getopt_long and git accept any unambiguous prefix of a long option (<c>--to-com</c> for <c>--to-command</c>),
    /// so an unknown long option that abbreviates a known one is treated as that option. When several match, the
    /// program rejects the ambiguity anyway; a risky match is preferred so the verdict errs on the safe side.
    /// </summary>
    public bool TryGetAbbreviation(ReadOnlySpan<char> name, out OptionSpec spec)
    {
        OptionSpec? found = null;
        if (name.Length > 3)
        {
            foreach (var candidate in _long)
            {
                if (!candidate.Name.AsSpan().StartsWith(name, StringComparison.Ordinal)) continue;
                if (found is null || (found.Risk is null && candidate.Risk is not null)) found = candidate;
            }
        }
        spec = found!;
        return found is not null;
    }

    /// <summary>This table with <paramref name="inherited"/> options added where this one has none of the same name.</summary>
    public OptionTable MergedWith(OptionTable inherited)
    {
        if (inherited.IsEmpty) return this;
        var merged = new Dictionary<string, OptionSpec>(_byName, StringComparer.Ordinal);
        foreach (var (name, spec) in inherited._byName) merged.TryAdd(name, spec);
        return new OptionTable(merged);
    }
}
