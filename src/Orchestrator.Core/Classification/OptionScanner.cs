namespace Orchestrator.Core.Classification;

/// <summary>
/// Walks argv the way getopt-style programs do: short clusters (<c>-rf</c>), attached or separate values
/// (<c>-n5</c>, <c>-n 5</c>, <c>--lines=5</c>), <c>--</c> ending options, and options after positionals.
/// Unknown options are treated as flags so an unfamiliar option never swallows a risky argument after it.
/// </summary>
internal static class OptionScanner
{
    /// <summary>
    /// Scans from <paramref name="start"/>; returns the index where scanning stopped: the first positional when
    /// <paramref name="stopAtPositional"/> is set, otherwise <c>argv.Count</c>.
    /// </summary>
    public static int Scan(IReadOnlyList<string> argv, int start, ProgramSpec spec, VerdictBuilder verdict,
        ScanState state, bool stopAtPositional)
    {
        var options = spec.Options;
        var i = start;
        while (i < argv.Count)
        {
            var arg = argv[i];
            if (state.OptionsEndedAt >= 0 || arg.Length < 2 || arg[0] != '-' || IsModeArgument(arg, spec.ModeChars))
            {
                if (stopAtPositional) return i;
                state.Positionals.Add(arg);
                i++;
                continue;
            }

            if (arg == "--")
            {
                i++;
                if (stopAtPositional) return i;
                state.OptionsEndedAt = i;
                continue;
            }

            i++;
            if (arg[1] == '-' || spec.WordOptions || options.TryGet(arg, out _) || IsWordOptionWithValue(arg, options))
            {
                i = ScanWholeOption(argv, i, arg, options, verdict, state);
            }
            else
            {
                i = ScanCluster(argv, i, arg, options, verdict, state);
            }
        }
        return argv.Count;
    }

    /// <summary>A single-dash word option the catalog names, written with its value attached (<c>-toolexec=prog</c>).</summary>
    private static bool IsWordOptionWithValue(string arg, OptionTable options)
    {
        var equals = arg.IndexOf('=');
        return equals > 2 && options.TryGet(arg.AsSpan(0, equals), out var option) && option.TakesValue;
    }

    /// <summary>A long option, or a single-dash word option the catalog names whole (<c>-Command</c>).</summary>
    private static int ScanWholeOption(IReadOnlyList<string> argv, int next, string arg, OptionTable options,
        VerdictBuilder verdict, ScanState state)
    {
        var equals = arg.IndexOf('=');
        var name = equals < 0 ? arg.AsSpan() : arg.AsSpan(0, equals);
        if (!options.TryGet(name, out var option) &&
            !(arg[1] == '-' && options.TryGetAbbreviation(name, out option)))
        {
            state.OptionUses?.Add((null, name.ToString(), equals < 0 ? null : arg[(equals + 1)..]));
            return next;
        }

        if (equals >= 0) return ApplyWithAttachedValue(argv, next, option, arg[(equals + 1)..], verdict, state);
        return ApplyWithSeparateValues(argv, next, option, verdict, state);
    }

    private static int ScanCluster(IReadOnlyList<string> argv, int next, string arg, OptionTable options,
        VerdictBuilder verdict, ScanState state)
    {
        for (var j = 1; j < arg.Length; j++)
        {
            if (!options.TryGetShort(arg[j], out var option))
            {
                state.OptionUses?.Add((null, "-" + arg[j], null));
                continue;
            }
            if (!option.TakesValue)
            {
                Apply(option, null, verdict, state);
                continue;
            }
            return j + 1 < arg.Length
                ? ApplyWithAttachedValue(argv, next, option, arg[(j + 1)..], verdict, state)
                : ApplyWithSeparateValues(argv, next, option, verdict, state);
        }
        return next;
    }

    /// <summary>The first value is attached (<c>--file=x</c>, <c>-fx</c>); any further ones follow as separate words.</summary>
    private static int ApplyWithAttachedValue(IReadOnlyList<string> argv, int next, OptionSpec option, string value,
        VerdictBuilder verdict, ScanState state)
    {
        Apply(option, value, verdict, state, PathValue(argv, option, value, next));
        if (option.Takes == OptionSpec.TakesRest) return argv.Count;
        return option.Takes > 1 ? Math.Min(argv.Count, next + option.Takes - 1) : next;
    }

    private static int ApplyWithSeparateValues(IReadOnlyList<string> argv, int next, OptionSpec option,
        VerdictBuilder verdict, ScanState state)
    {
        if (option.OptionalValue || option.Takes == 0)
        {
            Apply(option, null, verdict, state);
            return next;
        }
        var value = next < argv.Count ? argv[next] : null;
        Apply(option, value, verdict, state, PathValue(argv, option, value, next + 1));
        if (option.Takes == OptionSpec.TakesRest) return argv.Count;
        return Math.Min(argv.Count, next + option.Takes);
    }

    /// <summary>The value that names a path: the first, or a later one at <paramref name="afterFirst"/> onwards.</summary>
    private static string? PathValue(IReadOnlyList<string> argv, OptionSpec option, string? first, int afterFirst)
    {
        if (option.PathArgument <= 1) return first;
        var at = afterFirst + option.PathArgument - 2;
        return at < argv.Count ? argv[at] : null;
    }

    public static void Apply(OptionSpec option, string? value, VerdictBuilder verdict, ScanState state) =>
        Apply(option, value, verdict, state, value);

    public static void Apply(OptionSpec option, string? value, VerdictBuilder verdict, ScanState state, string? pathValue)
    {
        state.SeenOptions?.Add((option.Name, value));
        state.OptionUses?.Add((option, option.Name, value));
        if (option.MakesReadOnly) state.ReadOnlyOption ??= option.Name;
        if (option.SuppliesPattern) state.PatternSupplied = true;
        if (option.ValuePath is { } kind && PathIn(option, pathValue) is { } path)
        {
            AddOptionPath(path, kind, verdict, state);
            // curl -F 'f=@file;type=text/plain': the file name ends at the first ';'.
            if (option.PathAfter is not null && path.IndexOf(';') is > 0 and var semicolon)
                AddOptionPath(path[..semicolon], kind, verdict, state);
        }
        if (option.ChangesDirectory && value is not null) state.ChangeDirectory(value);
        if (option.Risk is { } risk && ValueMatches(option, value))
            verdict.Raise(risk, option.Reason!, option.EscapeHatch, option);
    }

    private static void AddOptionPath(string path, PathAccessKind kind, VerdictBuilder verdict, ScanState state) =>
        verdict.AddPath(state.OptionPathsFollowDirectory ? state.Resolve(path) : path, kind);

    private static string? PathIn(OptionSpec option, string? value)
    {
        if (value is null || option.PathAfter is not { } markers) return value;
        var best = -1;
        var length = 0;
        foreach (var marker in markers)
        {
            var at = value.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                length = marker.Length;
            }
        }
        return best < 0 ? null : value[(best + length)..];
    }

    private static bool ValueMatches(OptionSpec option, string? value)
    {
        if (option.HarmlessValues is { } harmless && value is not null)
        {
            foreach (var prefix in harmless)
            {
                if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
            }
        }
        if (option.ValueStartsWith is null && option.ValueContains is null) return true;
        if (value is null) return false;
        foreach (var prefix in option.ValueStartsWith ?? [])
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        foreach (var part in option.ValueContains ?? [])
        {
            if (value.Contains(part, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>chmod-style modes such as <c>-x</c> or <c>-rwx</c> look like options but are operands.</summary>
    private static bool IsModeArgument(string arg, string? modeChars)
    {
        if (modeChars is null || arg[1] == '-') return false;
        for (var j = 1; j < arg.Length; j++)
        {
            if (modeChars.IndexOf(arg[j]) < 0) return false;
        }
        return true;
    }
}
