using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>
/// Which commands real bash ran that the enumeration (<see cref="ScriptCommands"/>) did not name. A command names an
/// observed one when their programs' basenames agree and so do their arguments where the enumeration knows them: every
/// argument when all are known, else the known ones before the first and after the last word only known at run time
/// (such a word, or a glob, may become any number of words).
/// </summary>
internal static class NamingComparison
{
    public static IReadOnlyList<ObservedCommand> Unnamed(ScriptCommands commands, TracedRun run)
    {
        var named = commands.Commands.Where(c => c.Argv.Count > 0 && !c.ProgramIsRuntime).ToArray();
        return run.Executed.Concat(run.Builtins).Where(observed => !named.Any(command => Names(command, observed, run.Home))).ToArray();
    }

    public static bool Names(ScriptCommand command, ObservedCommand observed, string home)
    {
        if (command.Program != observed.Program) return false;
        if (!observed.ArgumentsKnown) return true;
        var expected = new List<(string Word, bool Dynamic)>();
        for (var k = 1; k < command.Argv.Count; k++) expected.Add((Normalized(command.Argv[k], home), command.Words.IsDynamic(k)));
        var actual = observed.Argv.Skip(1).ToArray();
        var first = expected.FindIndex(e => e.Dynamic);
        if (first < 0) return actual.SequenceEqual(expected.Select(e => e.Word));
        var last = expected.FindLastIndex(e => e.Dynamic);
        var prefix = expected.Take(first).Select(e => e.Word).ToArray();
        var suffix = expected.Skip(last + 1).Select(e => e.Word).ToArray();
        return actual.Length >= prefix.Length + suffix.Length
               && actual.Take(prefix.Length).SequenceEqual(prefix)
               && actual.TakeLast(suffix.Length).SequenceEqual(suffix);
    }

    /// <summary>The enumeration keeps a leading <c>~</c> (and one after an assignment's <c>=</c> or <c>:</c>) for path rules; bash expands it.</summary>
    private static string Normalized(string word, string home)
    {
        if (word == "~" || word.StartsWith("~/", StringComparison.Ordinal)) return home + word[1..];
        var equals = word.IndexOf('=');
        if (equals <= 0 || !word.Contains('~') || !AssignmentNames.IsName(word.AsSpan(0, equals))) return word;
        var parts = word[(equals + 1)..].Split(':');
        for (var i = 0; i < parts.Length; i++)
            if (parts[i] == "~" || parts[i].StartsWith("~/", StringComparison.Ordinal)) parts[i] = home + parts[i][1..];
        return word[..(equals + 1)] + string.Join(':', parts);
    }
}
