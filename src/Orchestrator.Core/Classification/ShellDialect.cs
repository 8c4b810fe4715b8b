namespace Orchestrator.Core.Classification;

/// <summary>Which shell reads a script of an enumeration; the parser reads bash.</summary>
public enum ShellDialect
{
    Bash,

    /// <summary><c>sh</c>, <c>dash</c>, <c>ash</c>: bash's parse holds only for scripts without bash-only syntax.</summary>
    Posix,

    /// <summary><c>zsh</c>, <c>ksh</c>, <c>mksh</c>: another language, which the parser does not read.</summary>
    Other,
}
