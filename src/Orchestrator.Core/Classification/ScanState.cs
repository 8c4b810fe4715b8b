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

    /// <summary>
    /// The directory a directory-changing option (<c>git -C</c>, <c>tar -C</c>) moved to, as written; relative paths
    /// found afterwards are reported below it. Null while the command works in the caller's directory.
    /// </summary>
    public string? PathBase { get; private set; }

    private string? _startDirectory;

    /// <summary>
    /// Whether option values that are paths are resolved against <see cref="PathBase"/>. git and fd change directory
    /// before reading any file; tar opens the files its options name in the caller's directory and only reads members
    /// relative to <c>-C</c>.
    /// </summary>
    public bool OptionPathsFollowDirectory { get; init; } = true;

    /// <summary>Each directory change with the number of positionals seen before it, for order-sensitive programs (tar).</summary>
    public List<(int PositionalsBefore, string Directory)>? DirectoryChanges { get; private set; }

    /// <summary>
    /// Every option in the order written, known (with its catalog entry) or not (Spec null, as written), kept only
    /// when describing a command's shape.
    /// </summary>
    public List<(OptionSpec? Spec, string Name, string? Value)>? OptionUses { get; init; }

    public static ScanState Describing(ScanState? parent) =>
        new() { OptionUses = new(4), PathBase = parent?.PathBase, _startDirectory = parent?.PathBase };

    public static ScanState Recording(bool optionPathsFollowDirectory = true) =>
        new() { SeenOptions = new List<(string, string?)>(4), OptionPathsFollowDirectory = optionPathsFollowDirectory };

    /// <summary>A state for a subcommand, which keeps working in the directory its parent changed to.</summary>
    public static ScanState Continuing(ScanState parent) => new() { PathBase = parent.PathBase, _startDirectory = parent.PathBase };

    public void ChangeDirectory(string directory)
    {
        PathBase = Resolve(directory);
        (DirectoryChanges ??= new List<(int, string)>(1)).Add((Positionals.Count, PathBase));
    }

    /// <summary><paramref name="path"/> as seen from the caller's directory, given any directory change so far.</summary>
    public string Resolve(string path) => Resolve(PathBase, path);

    public static string Resolve(string? directory, string path)
    {
        if (directory is null || path.Length == 0 || path == "-" || path[0] is '/' or '~') return path;
        return directory.EndsWith('/') ? directory + path : directory + "/" + path;
    }

    /// <summary>The directory in effect for the positional at <paramref name="index"/> (null: the caller's).</summary>
    public string? DirectoryForPositional(int index)
    {
        var directory = _startDirectory;
        foreach (var (before, changedTo) in DirectoryChanges ?? [])
        {
            if (before <= index) directory = changedTo;
        }
        return directory;
    }

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
