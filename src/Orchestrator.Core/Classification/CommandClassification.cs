namespace Orchestrator.Core.Classification;

/// <summary>
/// The classifier's verdict on one simple command.
/// When <see cref="InnerCommand"/> or <see cref="InnerScript"/> is set, the command's overall risk is the larger of
/// <see cref="Risk"/> and the caller's verdict on the inner command or script.
/// </summary>
/// <param name="Risk">What the command itself can do.</param>
/// <param name="Reason">Why, in words fit to show a human.</param>
/// <param name="Program">The basename of argv[0] (empty for an empty command).</param>
/// <param name="Paths">Command-line arguments known to be paths the command reads or writes.</param>
/// <param name="InnerCommand">For transparent wrappers (timeout, nice, env, …): the wrapped argv.</param>
/// <param name="InnerScript">For <c>sh -c</c> and <c>eval</c>: shell source the caller must parse and classify.</param>
/// <param name="ChangesDirectoryTo">For <c>cd</c>/<c>pushd</c>: the new working directory as written.</param>
/// <param name="IsEscapeHatch">True when an otherwise tame program is used in a way that runs or writes arbitrary things.</param>
public sealed record CommandClassification(
    CommandRisk Risk,
    string Reason,
    string Program,
    IReadOnlyList<PathAccess> Paths,
    IReadOnlyList<string>? InnerCommand,
    string? InnerScript,
    string? ChangesDirectoryTo,
    bool IsEscapeHatch)
{
    /// <summary>Working directory the <see cref="InnerCommand"/> runs in when the wrapper changes it (<c>env -C dir</c>).</summary>
    public string? InnerWorkingDirectory { get; init; }
}
