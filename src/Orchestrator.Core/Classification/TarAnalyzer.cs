namespace Orchestrator.Core.Classification;

/// <summary>
/// tar: the operation mode decides whether the archive is read or written, and extraction writes into the target
/// directory. Old-style first arguments (<c>tar xzf a.tgz</c>) are read as a short-option cluster.
/// </summary>
internal sealed class TarAnalyzer : ICommandAnalyzer
{
    public string Name => "tar";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var args = WithOldStyleOptions(argv);

        var state = ScanState.Recording(optionPathsFollowDirectory: false);
        OptionScanner.Scan(args, 1, spec, verdict, state, stopAtPositional: false);
        var archive = state.ValueOf("-f", "--file");

        if (state.Saw("-x", "--extract") || state.Saw("--get"))
        {
            AddArchive(archive, PathAccessKind.Read, state, verdict);
            if (state.Saw("-O", "--to-stdout"))
            {
                verdict.SetBase(CommandRisk.ReadOnly, "tar extracts to standard output");
                return;
            }
            verdict.SetBase(CommandRisk.WorkspaceWrite, "tar extracts files from an archive");
            verdict.AddPath(state.PathBase ?? ".", PathAccessKind.Write);
            if (state.Saw("-P", "--absolute-names"))
                verdict.Raise(CommandRisk.Unknown, "tar --absolute-names may extract outside the target directory", escapeHatch: true);
        }
        else if (state.Saw("-c", "--create") || state.Saw("-r", "--append") || state.Saw("-u", "--update")
                 || state.Saw("-A", "--catenate") || state.Saw("--concatenate") || state.Saw("--delete"))
        {
            verdict.SetBase(CommandRisk.WorkspaceWrite, "tar creates or modifies an archive");
            AddArchive(archive, PathAccessKind.Write, state, verdict);
            // -C is order-sensitive: each member is read relative to the directory in effect where it appears.
            for (var k = 0; k < state.Positionals.Count; k++)
                verdict.AddPath(ScanState.Resolve(state.DirectoryForPositional(k), state.Positionals[k]), PathAccessKind.Read);
        }
        else if (state.Saw("-t", "--list") || state.Saw("-d", "--diff") || state.Saw("--compare"))
        {
            verdict.SetBase(CommandRisk.ReadOnly, "tar lists or compares an archive");
            AddArchive(archive, PathAccessKind.Read, state, verdict);
        }
        else
        {
            verdict.SetBase(CommandRisk.Unknown, "tar without a recognised operation mode");
        }
    }

    /// <summary><c>tar xzf a.tgz</c>: an old-style first argument is a cluster of short options without the dash.</summary>
    public static IReadOnlyList<string> WithOldStyleOptions(IReadOnlyList<string> argv)
    {
        if (argv.Count < 2 || argv[1].Length == 0 || !char.IsAsciiLetter(argv[1][0])) return argv;
        var copy = argv.ToArray();
        copy[1] = "-" + copy[1];
        return copy;
    }

    private static void AddArchive(string? archive, PathAccessKind kind, ScanState state, VerdictBuilder verdict)
    {
        if (archive is null) return;
        // GNU tar treats host:file as a remote archive reached through rsh unless --force-local is given.
        var colon = archive.IndexOf(':');
        if (colon > 0 && archive.IndexOf('/', 0, colon) < 0 && !state.Saw("--force-local"))
        {
            verdict.Raise(CommandRisk.Unknown, $"tar archive '{archive}' is remote and is reached by running rsh", escapeHatch: true);
            return;
        }
        verdict.AddPath(archive, kind);
    }
}
