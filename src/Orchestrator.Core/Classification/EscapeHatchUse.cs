namespace Orchestrator.Core.Classification;

/// <summary>
/// One use of an escape hatch in a command: an option or script construct that runs a program, writes a file or
/// otherwise does more than the program's plain use. <see cref="Option"/> is the option as the catalog names it
/// (<c>--pre</c>, <c>-delete</c>), or null for constructs inside a script (sed's <c>e</c>, awk's <c>system()</c>) that no
/// rule can name short of spelling out the whole command.
/// </summary>
public sealed record EscapeHatchUse(string? Option, IReadOnlyList<string> OptionSpellings, CommandRisk Risk, string Reason);
