namespace Orchestrator.Core.Classification;

/// <summary>
/// A command another command runs: the argv after a wrapper (<c>timeout 5 CMD</c>, <c>env X=1 CMD</c>), the
/// command of <c>find -exec</c>, or what <c>xargs</c> builds. It is judged as a command of its own.
/// </summary>
/// <param name="Argv">Its words; a word containing <see cref="CommandClassification.RuntimeValue"/> is only known at run
/// time (find's <c>{}</c>, xargs' input).</param>
/// <param name="Start">Index of <c>Argv[0]</c> in the outer command's argv, so a rule can be asked whether it names it.</param>
/// <param name="WorkingDirectory">Where it runs when the outer command changes directory (<c>env -C dir</c>), else null.</param>
public sealed record InnerCommand(IReadOnlyList<string> Argv, int Start, string? WorkingDirectory = null);
