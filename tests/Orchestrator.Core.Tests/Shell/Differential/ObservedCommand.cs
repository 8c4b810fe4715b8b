namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>A command real bash ran: a program it (or a program it started) executed, or a builtin it traced.</summary>
/// <param name="Program">The executed file's basename, or the builtin's name.</param>
/// <param name="Argv">The words it ran with; for a builtin traced in a form we could not re-read, only its name.</param>
/// <param name="ArgumentsKnown">False when only the name of a traced builtin could be read.</param>
internal sealed record ObservedCommand(ObservedKind Kind, string Program, IReadOnlyList<string> Argv, bool ArgumentsKnown = true)
{
    public override string ToString() =>
        $"{(Kind == ObservedKind.Executed ? "exec" : "builtin")} {Program}: [{string.Join(", ", Argv.Select(a => "'" + a + "'"))}]";
}

internal enum ObservedKind
{
    /// <summary>A successful execve seen by strace.</summary>
    Executed,

    /// <summary>A builtin bash traced with <c>set -x</c>.</summary>
    Builtin,
}
