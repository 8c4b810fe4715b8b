using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>
/// Runs one script with real bash and holds our parser to it. Every program bash executed and every builtin it ran
/// must be named by <see cref="ScriptCommands"/>; an unnamed one is a bypass (a deny rule on it would never be asked),
/// unless the enumeration itself says it could not name everything — and then the policy must not allow the script:
/// with <c>Bash(*)</c> allowed it must still ask. Where a program the catalog calls unknown (a script file, <c>source</c>)
/// ran the unnamed commands, the policy without rules and without a sandbox must not allow it.
/// </summary>
internal static class DifferentialCheck
{
    /// <param name="Unknown">The first reason the enumeration gave for not naming everything, when it did.</param>
    public sealed record Outcome(string? Failure, bool FullyKnown, int Executed, int Builtins, string? Unknown = null);

    public static Outcome Check(string script) => TracedBash.Run(script, run =>
    {
        if (run.TimedOut) return new Outcome($"bash did not finish: {Describe(run, null, [])}", false, 0, 0);
        var commands = ScriptCommands.Of(script, CommandClassifier.Default, run.Home, run.WorkingDirectory);
        var unnamed = NamingComparison.Unnamed(commands, run);
        var counts = (run.Executed.Count, run.Builtins.Count);
        if (!commands.FullyKnown)
        {
            var verdict = Evaluate(run, script, allowEverything: true, sandboxed: true);
            return verdict.Decision == Decision.Allow
                ? new Outcome($"the enumeration is incomplete, yet Bash(*) allows the script: {Describe(run, commands, unnamed)}", false, counts.Item1, counts.Item2)
                : new Outcome(null, false, counts.Item1, counts.Item2, commands.Unknowns[0].Reason);
        }
        if (unnamed.Count == 0) return new Outcome(null, true, counts.Item1, counts.Item2);
        if (commands.Commands.Any(RunsUnseenCode))
        {
            var verdict = Evaluate(run, script, allowEverything: false, sandboxed: false);
            return verdict.Decision == Decision.Allow
                ? new Outcome($"a program of unknown effect ran unnamed commands, yet the script is allowed without a sandbox: {Describe(run, commands, unnamed)}", true, counts.Item1, counts.Item2)
                : new Outcome(null, true, counts.Item1, counts.Item2);
        }
        return new Outcome($"BYPASS: bash ran commands the parser did not name: {Describe(run, commands, unnamed)}", true, counts.Item1, counts.Item2);
    });

    /// <summary>A program the catalog cannot see into (a script file, <c>source</c>): whatever it runs is its own business.</summary>
    private static bool RunsUnseenCode(ScriptCommand command) =>
        command.Classification is { Risk: CommandRisk.Unknown, InnerCommands.Count: 0, InnerScript: null };

    private static Verdict Evaluate(TracedRun run, string script, bool allowEverything, bool sandboxed)
    {
        var snapshot = PolicyLoader.Load(new PolicyLoadOptions(run.WorkingDirectory)
        {
            HomeDirectory = run.Home,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            AllowRules = allowEverything ? ["Bash(*)"] : [],
        });
        var call = ToolCall.Create(ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, script), run.WorkingDirectory, null);
        return new PolicyEvaluator(snapshot).Evaluate(call, sandboxed);
    }

    public static string Describe(TracedRun run, ScriptCommands? commands, IReadOnlyList<ObservedCommand> unnamed)
    {
        var text = new System.Text.StringBuilder();
        text.Append("\n--- script ---\n").Append(run.Script).Append("\n--- not named ---\n");
        foreach (var observed in unnamed) text.Append("  ").Append(observed).Append('\n');
        if (commands is not null)
        {
            text.Append("--- named (depth: argv) ---\n");
            foreach (var command in commands.Commands.Where(c => c.Argv.Count > 0))
                text.Append("  ").Append(command.Depth).Append(": ").Append(command).Append('\n');
            foreach (var unknown in commands.Unknowns) text.Append("  unknown: ").Append(unknown.Reason).Append('\n');
        }
        text.Append("--- bash ran ---\n");
        foreach (var observed in run.Executed.Concat(run.Builtins)) text.Append("  ").Append(observed).Append('\n');
        if (run.Stderr.Length > 0) text.Append("--- stderr ---\n").Append(run.Stderr.Length > 2000 ? run.Stderr[..2000] : run.Stderr);
        return text.ToString();
    }
}
