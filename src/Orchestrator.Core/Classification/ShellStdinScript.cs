using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Classification;

/// <summary>
/// A shell that reads its script from standard input (<c>bash &lt;&lt;EOF</c>, <c>sh -s &lt;&lt;&lt; 'cmd'</c>) runs
/// the here-document or here-string fed to it, which is as much a script of the command line as <c>sh -c</c>'s.
/// </summary>
internal static class ShellStdinScript
{
    /// <summary>
    /// The script <paramref name="command"/> feeds a shell on its standard input: the text, <see cref="CommandClassification.RuntimeValue"/>
    /// when the text has expansions, or null when the shell does not read its script from a here-document or here-string.
    /// </summary>
    public static string? Of(ScriptCommand command, CommandClassification classification)
    {
        if (command.Source is not { } source || classification.InnerScript is not null || !ReadsStdin(command.Argv)) return null;
        Redirection? stdin = null;
        foreach (var redirection in source.Redirections)
            if (redirection.Fd is null or 0 && redirection.Operator is "<" or "<<" or "<<-" or "<<<" or "<>" or "<&") stdin = redirection;
        return stdin switch
        {
            { IsHereDoc: true, HereDocExpands: false, HereDocBody: { } body } => body,
            { IsHereDoc: true, HereDocContent: { StaticValue: { } body } } => body,
            { IsHereDoc: true } => CommandClassification.RuntimeValue,
            { Operator: "<<<", Target.StaticValue: { } text } => text + "\n",
            { Operator: "<<<" } => CommandClassification.RuntimeValue,
            _ => null,
        };
    }

    /// <summary>A shell invocation without <c>-c</c> and without a script file operand (or with <c>-s</c>) reads stdin.</summary>
    private static bool ReadsStdin(IReadOnlyList<string> argv)
    {
        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg is "--" or "-") return i + 1 >= argv.Count;
            if (arg.Length < 2 || arg[0] is not ('-' or '+')) return false;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg is "--rcfile" or "--init-file") i++;
                continue;
            }
            if (arg.Contains('c')) return false;
            if (arg.Contains('s')) return true;
            if (arg.Contains('o') || arg.Contains('O')) i++;
        }
        return true;
    }
}
