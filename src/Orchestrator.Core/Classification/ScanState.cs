namespace Orchestrator.Core.Classification;

/// <summary>What option scanning learned beyond risks and paths.</summary>
internal sealed class ScanState
{
    public List<string> Positionals { get; } = new(4);

    /// <summary>The option that turned the program into a query, if any.</summary>
    public string? ReadOnlyOption { get; set; }

    public bool PatternSupplied { get; set; }

    /// <summary>Index of the first argument after <c>--</c>, or -1.</summary>
    public int OptionsEndedAt { get; set; } = -1;

    /// <summary>Options seen with their values, kept only for analyzers that need them (sed's <c>-e</c>, tar's mode).</summary>
    public List<(string Name, string? Value)>? SeenOptions { get; init; }

    public static ScanState Recording() => new() { SeenOptions = new List<(string, string?)>(4) };

    public bool Saw(string name) => FindValue(name, out _);

    public bool Saw(string name, string alternative) => Saw(name) || Saw(alternative);

    public bool FindValue(string name, out string? value)
    {
        foreach (var (seen, seenValue) in SeenOptions ?? [])
        {
            if (seen == name)
            {
                value = seenValue;
                return true;
            }
        }
        value = null;
        return false;
    }

    public string? ValueOf(string name, string alternative) =>
        FindValue(name, out var value) || FindValue(alternative, out value) ? value : null;
}
