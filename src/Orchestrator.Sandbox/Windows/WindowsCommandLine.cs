using System.Text;

namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// Builds a command line that <c>CommandLineToArgvW</c> (and the MSVC C runtime) split back into exactly the given
/// program and arguments. Arguments: left bare when non-empty and free of space, tab, line feed, vertical tab and
/// quote; otherwise quoted, with backslashes doubled only where they precede a quote or the closing quote. The
/// program (argv[0]) follows different rules: no escapes at all, so it may not contain a quote.
/// cmd.exe and batch files do not use these rules; callers must not rely on this quoting for them.
/// </summary>
public static class WindowsCommandLine
{
    /// <summary>CreateProcess accepts at most 32,767 characters including the terminating NUL.</summary>
    public const int MaxLength = 32766;

    /// <exception cref="ArgumentException">A NUL anywhere, a quote in the program, or a result longer than <see cref="MaxLength"/>.</exception>
    public static string Build(string program, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var line = new StringBuilder(QuoteProgram(program));
        foreach (var argument in arguments)
            line.Append(' ').Append(QuoteArgument(argument));
        if (line.Length > MaxLength)
            throw new ArgumentException($"The command line is {line.Length} characters; Windows allows {MaxLength}.", nameof(arguments));
        return line.ToString();
    }

    /// <summary>argv[0]: quoted when empty or containing whitespace; a quote cannot be represented.</summary>
    public static string QuoteProgram(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Contains('\0'))
            throw new ArgumentException("The program contains a NUL.", nameof(program));
        if (program.Contains('"'))
            throw new ArgumentException("The program contains a quote; argv[0] has no escape for it.", nameof(program));
        return program.Length == 0 || program.AsSpan().IndexOfAny(" \t\n\v") >= 0 ? $"\"{program}\"" : program;
    }

    public static string QuoteArgument(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\0'))
            throw new ArgumentException("An argument contains a NUL.", nameof(argument));
        if (argument.Length > 0 && argument.AsSpan().IndexOfAny(" \t\n\v\"") < 0)
            return argument;

        var quoted = new StringBuilder(argument.Length + 2).Append('"');
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }
            if (c == '"')
            {
                // 2n+1 backslashes then the quote: n literal backslashes and a literal quote.
                quoted.Append('\\', backslashes * 2 + 1).Append('"');
            }
            else
            {
                // Backslashes not before a quote are literal.
                quoted.Append('\\', backslashes).Append(c);
            }
            backslashes = 0;
        }
        // Before the closing quote, every backslash must be doubled.
        quoted.Append('\\', backslashes * 2).Append('"');
        return quoted.ToString();
    }
}
