using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// The classifier's verdict on a whole command line, the way Codex's checks see one: every command it runs
/// (<see cref="ScriptCommands"/>: wrapped commands, <c>bash -c</c> scripts) is classified, a redirection into a file is
/// a write, and whatever cannot be named before it runs (a script the parser does not fully understand, a program only
/// known at run time) is unknown. The strictest part wins.
/// </summary>
internal static class CommandLineRisk
{
    public sealed record Verdict(CommandRisk Risk, bool IsEscapeHatch, string Reason)
    {
        public bool IsReadOnly => Risk == CommandRisk.ReadOnly && !IsEscapeHatch;

        public Verdict Max(Verdict other) =>
            other.Risk > Risk ? other with { IsEscapeHatch = other.IsEscapeHatch || IsEscapeHatch }
                : this with { IsEscapeHatch = IsEscapeHatch || other.IsEscapeHatch };

        public override string ToString() => $"{Risk}{(IsEscapeHatch ? " (escape hatch)" : "")}: {Reason}";
    }

    /// <summary>The verdict on <paramref name="argv"/> run as one command (each word passed as written).</summary>
    public static Verdict Of(IReadOnlyList<string> argv)
    {
        var script = string.Join(' ', argv.Select(word => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var commands = ScriptCommands.Of(script, CommandClassifier.Default, "/home/user", "/work");

        var verdict = new Verdict(CommandRisk.ReadOnly, false, "no command");
        foreach (var unknown in commands.Unknowns)
            verdict = verdict.Max(new Verdict(CommandRisk.Unknown, false, $"not known before it runs: {unknown.Reason}"));
        foreach (var command in commands.Commands)
        {
            foreach (var redirection in command.Source?.Redirections ?? [])
            {
                if (redirection.IsFileWrite)
                    verdict = verdict.Max(new Verdict(CommandRisk.WorkspaceWrite, false, $"redirects into '{redirection.Target?.Raw}'"));
            }
            if (command.Classification is not { } classification) continue;
            // A command written with prefix assignments is classified with them (PATH=… hijacks the program).
            if (command.Source is { Assignments.Count: > 0 } source)
                classification = CommandClassifier.Default.Classify(command.Argv, source.Assignments.Select(a => a.Name + "=" + a.Value.Raw).ToArray());
            verdict = verdict.Max(new Verdict(classification.Risk, classification.IsEscapeHatch, classification.Reason));
        }
        return verdict;
    }
}
