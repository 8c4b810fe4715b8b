namespace Orchestrator.Core.Shell;

/// <summary>How a literal piece of a word was quoted in the source.</summary>
public enum QuoteKind
{
    None,
    Single,
    Double,
    AnsiC,

    /// <summary><c>$"…"</c>: double quotes whose text bash may translate; a POSIX shell reads a <c>$</c> and double quotes.</summary>
    Locale,

    /// <summary>A single character escaped with a backslash outside quotes, e.g. <c>\*</c>.</summary>
    Backslash,
}
