namespace Orchestrator.Core.Classification;

/// <summary>
/// Finds the parts of an awk program that reach outside text processing: <c>system()</c>, pipes (<c>|</c>, <c>|&amp;</c>
/// but not <c>||</c>), output redirection of <c>print</c>/<c>printf</c>, gawk <c>@load</c>/<c>@include</c> and
/// <c>/inet/</c> files. A <c>&gt;</c> only counts as redirection inside a print statement at its own parenthesis depth,
/// so patterns such as <c>$1 &gt; 5</c> and <c>print ($1 &gt; 5)</c> stay comparisons.
/// </summary>
internal static class AwkProgramScanner
{
    public static void Scan(string program, List<ScriptFinding> findings)
    {
        var depth = 0;
        var printDepth = -1; // parenthesis depth of the current print statement, or -1 outside one
        var previous = '\0'; // last significant character, to tell a regex '/' from division
        var i = 0;
        while (i < program.Length)
        {
            var c = program[i];
            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                while (i < program.Length && program[i] != '\n') i++;
                continue;
            }

            if (c == '"')
            {
                var literal = ReadString(program, ref i);
                if (literal.StartsWith("/inet", StringComparison.Ordinal))
                    findings.Add(new ScriptFinding(ScriptFindingKind.Connects, "\"" + literal + "\""));
                previous = '"';
                continue;
            }

            if (c == '/' && StartsRegex(program, i, previous))
            {
                SkipRegex(program, ref i);
                previous = '/';
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < program.Length && (char.IsAsciiLetterOrDigit(program[i]) || program[i] == '_')) i++;
                var word = program.AsSpan(start, i - start);
                if (word is "system") findings.Add(new ScriptFinding(ScriptFindingKind.Executes, "system()"));
                else if (word is "print" or "printf") printDepth = depth;
                else if ((word is "load" or "include") && start > 0 && program[start - 1] == '@')
                    findings.Add(new ScriptFinding(ScriptFindingKind.LoadsCode, "@" + word.ToString()));
                previous = 'a';
                continue;
            }

            switch (c)
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '\n' or ';' or '{' or '}':
                    printDepth = -1;
                    break;
                case '|':
                    if (i + 1 < program.Length && program[i + 1] == '|') i++;
                    else findings.Add(new ScriptFinding(ScriptFindingKind.Pipes, "|"));
                    break;
                case '>':
                    if (printDepth >= 0 && depth == printDepth)
                    {
                        if (i + 1 < program.Length && program[i + 1] == '>') i++;
                        AddRedirect(program, i + 1, findings);
                    }
                    break;
            }
            previous = c;
            i++;
        }
    }

    private static void AddRedirect(string program, int at, List<ScriptFinding> findings)
    {
        while (at < program.Length && program[at] is ' ' or '\t') at++;
        string? file = null;
        if (at < program.Length && program[at] == '"')
        {
            file = ReadString(program, ref at);
            // gawk maps these names to the process's own output streams.
            if (file is "/dev/stdout" or "/dev/stderr" or "-") return;
        }
        findings.Add(new ScriptFinding(ScriptFindingKind.Writes, "print >", file));
    }

    /// <summary>
    /// A '/' after an operand (name, number, ')', ']', string, or '++'/'--') divides; anywhere else it opens a regex.
    /// Mistaking a regex for division only makes the scan stricter, so operands are recognised generously.
    /// </summary>
    private static bool StartsRegex(string program, int at, char previous)
    {
        if (previous is 'a' or ')' or ']' or '"' or '$' || char.IsAsciiDigit(previous)) return false;
        if (previous is '+' or '-' && at >= 2 && program[at - 2] == previous) return false;
        return true;
    }

    private static string ReadString(string program, ref int i)
    {
        var builder = new System.Text.StringBuilder();
        i++;
        while (i < program.Length && program[i] != '"')
        {
            if (program[i] == '\\' && i + 1 < program.Length) i++;
            builder.Append(program[i++]);
        }
        i++;
        return builder.ToString();
    }

    private static void SkipRegex(string program, ref int i)
    {
        i++;
        var inBracket = false;
        while (i < program.Length)
        {
            var c = program[i++];
            if (c == '\\') i++;
            else if (c == '[') inBracket = true;
            else if (c == ']') inBracket = false;
            else if (c == '/' && !inBracket) return;
            else if (c == '\n') return;
        }
    }
}
