namespace Orchestrator.Core.Classification;

/// <summary>
/// The classifier's verdict on one simple command.
/// When <see cref="InnerCommands"/> or <see cref="InnerScript"/> is set, the command's overall risk is the larger of
/// <see cref="Risk"/> and the caller's verdict on the inner commands or script.
/// </summary>
/// <param name="Risk">What the command itself can do.</param>
/// <param name="Reason">Why, in words fit to show a human.</param>
/// <param name="Program">The basename of argv[0] (empty for an empty command).</param>
/// <param name="Paths">Command-line arguments known to be paths the command reads or writes.</param>
/// <param name="InnerCommands">Commands this one runs (wrappers such as timeout, nice, env; find -exec; xargs).</param>
/// <param name="InnerScript">For <c>sh -c</c> and <c>eval</c>: shell source the caller must parse and classify.</param>
/// <param name="ChangesDirectoryTo">For <c>cd</c>/<c>pushd</c>: the new working directory as written.</param>
/// <param name="IsEscapeHatch">True when an otherwise tame program is used in a way that runs or writes arbitrary things.</param>
public sealed record CommandClassification(
    CommandRisk Risk,
    string Reason,
    string Program,
    IReadOnlyList<PathAccess> Paths,
    IReadOnlyList<InnerCommand> InnerCommands,
    string? InnerScript,
    string? ChangesDirectoryTo,
    bool IsEscapeHatch)
{
    /// <summary>Marks a word, or the part of a word, that only exists at run time. NUL never occurs in real input.</summary>
    public const string RuntimeValue = "\0";

    /// <summary>The escape hatches this command uses, each with the option that opens it when there is one.</summary>
    public IReadOnlyList<EscapeHatchUse> EscapeHatches { get; init; } = [];

    public static bool IsRuntimeWord(string word) => word.Contains('\0');
}
