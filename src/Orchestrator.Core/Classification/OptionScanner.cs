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
            if (arg[1] == '-' || options.TryGet(arg, out _))
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

    /// <summary>A long option, or a single-dash word option the catalog names whole (<c>-Command</c>).</summary>
    private static int ScanWholeOption(IReadOnlyList<string> argv, int next, string arg, OptionTable options,
        VerdictBuilder verdict, ScanState state)
    {
        var equals = arg.IndexOf('=');
        var name = equals < 0 ? arg.AsSpan() : arg.AsSpan(0, equals);
        if (!options.TryGet(name, out var option) &&
            !(arg[1] == '-' && options.TryGetAbbreviation(name, out option)))
        {
            return next;
        }

        string? value = equals >= 0 ? arg[(equals + 1)..] : null;
        if (value is null) (value, next) = TakeSeparateValues(argv, next, option);
        else if (option.Takes > 1) next = Math.Min(argv.Count, next + option.Takes - 1);
        Apply(option, value, verdict, state);
        return option.Takes == OptionSpec.TakesRest ? argv.Count : next;
    }

    private static int ScanCluster(IReadOnlyList<string> argv, int next, string arg, OptionTable options,
        VerdictBuilder verdict, ScanState state)
    {
        for (var j = 1; j < arg.Length; j++)
        {
            if (!options.TryGetShort(arg[j], out var option)) continue;
            if (!option.TakesValue)
            {
                Apply(option, null, verdict, state);
                continue;
            }

            string? value;
            if (j + 1 < arg.Length)
            {
                value = arg[(j + 1)..];
                if (option.Takes > 1) next = Math.Min(argv.Count, next + option.Takes - 1);
            }
            else
            {
                (value, next) = TakeSeparateValues(argv, next, option);
            }
            Apply(option, value, verdict, state);
            return option.Takes == OptionSpec.TakesRest ? argv.Count : next;
        }
        return next;
    }

    private static (string? Value, int Next) TakeSeparateValues(IReadOnlyList<string> argv, int next, OptionSpec option)
    {
        if (option.OptionalValue || option.Takes == 0) return (null, next);
        var value = next < argv.Count ? argv[next] : null;
        var count = option.Takes == OptionSpec.TakesRest ? argv.Count - next : option.Takes;
        return (value, Math.Min(argv.Count, next + count));
    }

    public static void Apply(OptionSpec option, string? value, VerdictBuilder verdict, ScanState state)
    {
        state.SeenOptions?.Add((option.Name, value));
        if (option.MakesReadOnly) state.ReadOnlyOption ??= option.Name;
        if (option.SuppliesPattern) state.PatternSupplied = true;
        if (option.ValuePath is { } kind && value is not null) verdict.AddPath(value, kind);
        if (option.Risk is { } risk && ValueMatches(option, value))
            verdict.Raise(risk, option.Reason!, option.EscapeHatch, option);
    }

    private static bool ValueMatches(OptionSpec option, string? value)
    {
        if (option.ValueStartsWith is not { } prefixes) return true;
        if (value is null) return false;
        foreach (var prefix in prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
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
