using Orchestrator.Core.Classification;
using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// The classifier's verdict on a whole command line, the way Codex's checks see one: wrapped commands and
/// <c>bash -c</c> scripts are classified too, a redirection into a file is a write, and whatever the parser does not
/// fully understand or a program only known at run time is unknown. The strictest part wins.
/// </summary>
internal static class CommandLineRisk
{
    private const int MaxDepth = 8;

    public sealed record Verdict(CommandRisk Risk, bool IsEscapeHatch, string Reason)
    {
        public bool IsReadOnly => Risk == CommandRisk.ReadOnly && !IsEscapeHatch;

        public Verdict Max(Verdict other) =>
            other.Risk > Risk ? other with { IsEscapeHatch = other.IsEscapeHatch || IsEscapeHatch }
                : this with { IsEscapeHatch = IsEscapeHatch || other.IsEscapeHatch };

        public override string ToString() => $"{Risk}{(IsEscapeHatch ? " (escape hatch)" : "")}: {Reason}";
    }

    public static Verdict Of(IReadOnlyList<string> argv) => Of(argv, [], depth: 0);

    private static Verdict Of(IReadOnlyList<string> argv, IReadOnlyList<string> assignments, int depth)
    {
        var classification = CommandClassifier.Default.Classify(argv, assignments);
        var verdict = new Verdict(classification.Risk, classification.IsEscapeHatch, classification.Reason);
        if (depth >= MaxDepth) return verdict.Max(new Verdict(CommandRisk.Unknown, false, "nested too deeply"));
        foreach (var inner in classification.InnerCommands) verdict = verdict.Max(Of(inner.Argv, [], depth + 1));
        if (classification.InnerScript is { } script) verdict = verdict.Max(OfScript(script, depth + 1));
        return verdict;
    }

    private static Verdict OfScript(string script, int depth)
    {
        var parsed = ShellParser.Parse(script);
        if (!parsed.FullyUnderstood) return new Verdict(CommandRisk.Unknown, false, $"not understood: {parsed.Problem}");

        var verdict = new Verdict(CommandRisk.ReadOnly, false, "no command");
        foreach (var command in parsed.SimpleCommands)
        {
            foreach (var redirection in command.Redirections)
            {
                if (redirection.IsFileWrite)
                    verdict = verdict.Max(new Verdict(CommandRisk.WorkspaceWrite, false, $"redirects into '{redirection.Target?.Raw}'"));
            }
            if (command.Words.Count == 0) continue;
            if (!command.Words[0].IsStatic)
            {
                verdict = verdict.Max(new Verdict(CommandRisk.Unknown, false, $"program '{command.Words[0].Raw}' is only known at run time"));
                continue;
            }
            var argv = command.Words.Select(word => word.StaticValue ?? word.Raw).ToArray();
            var assignments = command.Assignments.Select(assignment => assignment.Name + "=" + assignment.Value.Raw).ToArray();
            verdict = verdict.Max(Of(argv, assignments, depth));
        }
        return verdict;
    }
}
