namespace Orchestrator.Core.Classification;

/// <summary>
/// Reads argv the way getopt-style programs and the catalog's subcommand tables do, into a <see cref="CommandShape"/>.
/// Unknown options are flags; unknown single-dash clusters are split into letters. A word holding <c>*</c> stays a
/// word (rule patterns are shaped with the same code as commands, so a wildcard lands where the program would read it).
/// </summary>
internal static class CommandShaper
{
    /// <param name="unknownOptionsTakeValues">Read an option the catalog does not know as taking the next word as its
    /// value (<c>kubectl -n prod delete</c>): the other reading of an unknown program's command line.</param>
    public static CommandShape Shape(IReadOnlyList<string> argv, CommandCatalog catalog, bool unknownOptionsTakeValues = false)
    {
        var path = argv.Count > 0 ? argv[0] : "";
        var program = path.Contains('/') ? path[(path.LastIndexOf('/') + 1)..] : path;
        var spec = program.Length > 0 ? catalog.FindProgram(program) : null;
        var options = new List<ShapedOption>();
        var operands = new List<string>();
        var subcommands = new List<string>();
        var table = spec?.Options ?? OptionTable.Empty;
        var modeChars = spec?.ModeChars;
        var levels = spec?.Subcommands;
        var optionsEnded = false;

        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-' || IsMode(arg, modeChars))
            {
                // The first operand at a level with subcommands chooses the next level (git [global options] push …).
                if (!optionsEnded && operands.Count == 0 && levels is not null && levels.TryGetValue(arg, out var sub))
                {
                    subcommands.Add(arg);
                    table = sub.Options;
                    modeChars = sub.ModeChars;
                    levels = sub.Subcommands;
                    continue;
                }
                operands.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (arg[1] == '-' || table.TryGet(arg, out _))
                i = ReadWholeOption(argv, i, table, options);
            else
                i = ReadCluster(argv, i, table, options);
            if (unknownOptionsTakeValues && options[^1] is { Known: false, Value: null } unknown && !unknown.Written.Contains('*')
                && i + 1 < argv.Count && !argv[i + 1].StartsWith('-'))
                options[^1] = unknown with { Value = argv[++i] };
        }
        return new CommandShape(program, subcommands, options, operands);
    }

    private static int ReadWholeOption(IReadOnlyList<string> argv, int i, OptionTable table, List<ShapedOption> options)
    {
        var arg = argv[i];
        var equals = arg.IndexOf('=');
        var name = equals < 0 ? arg : arg[..equals];
        string? value = equals < 0 ? null : arg[(equals + 1)..];
        if (!table.TryGet(name, out var spec) && !(name.StartsWith("--", StringComparison.Ordinal) && !name.Contains('*') && table.TryGetAbbreviation(name, out spec)))
        {
            options.Add(new ShapedOption(name, [name], value, Known: false));
            return i;
        }
        if (value is null && spec.Takes > 0 && !spec.OptionalValue && i + 1 < argv.Count) value = argv[++i];
        options.Add(new ShapedOption(spec.Name, spec.Aliases, value));
        return i;
    }

    private static int ReadCluster(IReadOnlyList<string> argv, int i, OptionTable table, List<ShapedOption> options)
    {
        var arg = argv[i];
        for (var j = 1; j < arg.Length; j++)
        {
            var letter = "-" + arg[j];
            if (arg[j] == '*')
            {
                // A wildcard inside a pattern's cluster (-r*) stands for any further letters; keep it as written.
                options.Add(new ShapedOption(arg, [arg], null, Known: false));
                return i;
            }
            if (!table.TryGetShort(arg[j], out var spec))
            {
                options.Add(new ShapedOption(letter, [letter], null, Known: false));
                continue;
            }
            if (!spec.TakesValue)
            {
                options.Add(new ShapedOption(spec.Name, spec.Aliases, null));
                continue;
            }
            string? value = j + 1 < arg.Length ? arg[(j + 1)..] : null;
            if (value is null && !spec.OptionalValue && spec.Takes != 0 && i + 1 < argv.Count) value = argv[++i];
            options.Add(new ShapedOption(spec.Name, spec.Aliases, value));
            return i;
        }
        return i;
    }

    private static bool IsMode(string arg, string? modeChars)
    {
        if (modeChars is null || arg[1] == '-') return false;
        for (var j = 1; j < arg.Length; j++)
            if (modeChars.IndexOf(arg[j]) < 0) return false;
        return true;
    }
}
