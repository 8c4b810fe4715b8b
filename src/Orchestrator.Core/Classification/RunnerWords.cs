namespace Orchestrator.Core.Classification;

/// <summary>
/// A command that runs other commands (a wrapper, <c>env</c>, <c>find</c>, <c>xargs</c>, a shell) reads its own words
/// to decide what it runs: a word only known at run time in front of the command it runs may be an option
/// (<c>env "$x" cat</c> with <c>x='-S rm -rf ~'</c>), the command itself (<c>timeout $t cat</c> with <c>t='5 rm'</c>),
/// or, split by the shell, end <c>find -exec</c> and start another. The words of the command it runs are that command's
/// own, judged there.
/// </summary>
internal static class RunnerWords
{
    private static readonly HashSet<string> Runners = new(StringComparer.Ordinal) { "wrapper", "env", "find", "xargs", "shell" };

    /// <summary>Why what the command runs is only known at run time, or null. <paramref name="words"/> has a static program.</summary>
    public static string? Find(CommandWords words, CommandClassification classification, CommandClassifier classifier)
    {
        var argv = words.Argv;
        var analyzer = classifier.Catalog.FindProgram(classification.Program)?.Analyzer;
        if (analyzer is null || !Runners.Contains(analyzer)) return null;
        if (analyzer == "env" && SplitsString(argv)) return "env -S builds the command it runs from a string";
        // A shell's inline script and the words after it (its $0, $1, …) belong to the script.
        var scriptAt = classification.InnerScript is { } script ? Array.IndexOf(argv, script, 1) : -1;
        CommandShape? shape = null;
        for (var k = 1; k < argv.Length; k++)
        {
            if (!words.IsDynamic(k) || (scriptAt > 0 && k >= scriptAt)) continue;
            if (Covering(classification, k, argv.Length) is { } end)
            {
                // Inside a terminated command (find -exec … ;), a word split by the shell can end it and start another.
                if (words.MaySplit(k) && end < argv.Length) return Reason(classification, argv[k]);
                continue;
            }
            if (words.MaySplit(k)) return Reason(classification, argv[k]);
            if (analyzer == "env" && StaticAssignment(argv[k])) continue;
            shape ??= classifier.Describe(argv);
            if (!shape.Options.Any(option => ReferenceEquals(option.Value, argv[k]) || option.Value == argv[k])) return Reason(classification, argv[k]);
        }
        return null;
    }

    /// <summary>The end of the range of argv the command that word <paramref name="k"/> belongs to takes, when it is an argument of one.</summary>
    private static int? Covering(CommandClassification classification, int k, int length)
    {
        foreach (var inner in classification.InnerCommands)
        {
            if (inner.Start < 0 || k <= inner.Start) continue;
            var end = Math.Min(inner.Start + inner.Argv.Count, length);
            if (k < end) return end;
        }
        return null;
    }

    /// <summary><c>env -S STRING</c> (<c>--split-string</c>, or S in a cluster) before the command: env splits the string into the command.</summary>
    private static bool SplitsString(string[] argv)
    {
        for (var k = 1; k < argv.Length; k++)
        {
            var word = argv[k];
            if (word == "--" || word.Length < 2 || word[0] != '-') return false;
            if (word.StartsWith("--split-string", StringComparison.Ordinal)) return true;
            if (word[1] == '-')
            {
                if (word is "--unset" or "--chdir" or "--argv0") k++;
                continue;
            }
            for (var j = 1; j < word.Length; j++)
            {
                if (word[j] == 'S') return true;
                if (word[j] is not ('u' or 'C' or 'a' or 'P')) continue;
                if (j == word.Length - 1) k++; // the option's value is the next word
                break;
            }
        }
        return false;
    }

    /// <summary>A word whose text starts with a written <c>NAME=</c>, which env takes as an assignment whatever follows.</summary>
    private static bool StaticAssignment(string word)
    {
        var equals = word.IndexOf('=');
        return equals > 0 && AssignmentNames.IsName(word.AsSpan(0, equals));
    }

    private static string Reason(CommandClassification classification, string word) =>
        $"what {classification.Program} runs depends on '{CommandWords.Display(word)}', which is only known at run time";
}
