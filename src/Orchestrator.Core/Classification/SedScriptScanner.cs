namespace Orchestrator.Core.Classification;

/// <summary>
/// A small GNU sed script parser that finds the commands that escape text filtering: <c>e</c>, <c>s///e</c>,
/// <c>w</c>/<c>W</c>/<c>s///w</c> (write files) and <c>r</c>/<c>R</c> (read files). Anything it cannot parse is
/// reported as a failure so the caller can fail closed.
/// </summary>
internal static class SedScriptScanner
{
    public static bool TryScan(string script, List<ScriptFinding> findings)
    {
        var scanner = new Cursor(script);
        while (true)
        {
            scanner.SkipWhile(static c => c is ' ' or '\t' or '\n' or ';' or '\r');
            if (scanner.AtEnd) return true;
            if (scanner.Peek == '#')
            {
                scanner.SkipLine();
                continue;
            }
            if (!SkipAddresses(ref scanner)) return false;
            scanner.SkipWhile(static c => c is ' ' or '\t' or '!');
            if (scanner.AtEnd) return false;
            if (!ScanCommand(ref scanner, scanner.Next(), findings)) return false;
        }
    }

    private static bool ScanCommand(ref Cursor scanner, char command, List<ScriptFinding> findings)
    {
        switch (command)
        {
            case '{' or '}' or '=' or 'd' or 'D' or 'g' or 'G' or 'h' or 'H' or 'n' or 'N' or 'p' or 'P' or 'x' or 'z' or 'F':
                return true;
            case 'l' or 'L' or 'q' or 'Q':
                scanner.SkipWhile(static c => c is ' ' or '\t' || char.IsAsciiDigit(c));
                return true;
            case ':' or 'b' or 't' or 'T' or 'v':
                scanner.SkipWhile(static c => c is not (';' or '\n' or '}'));
                return true;
            case 'a' or 'i' or 'c':
                scanner.SkipText();
                return true;
            case 'r' or 'R':
                findings.Add(new ScriptFinding(ScriptFindingKind.Reads, command.ToString(), scanner.RestOfLine()));
                return true;
            case 'w' or 'W':
                AddWrite(findings, command.ToString(), scanner.RestOfLine());
                return true;
            case 'e':
                findings.Add(new ScriptFinding(ScriptFindingKind.Executes, "e"));
                scanner.SkipLine();
                return true;
            case 's':
                return ScanSubstitution(ref scanner, findings);
            case 'y':
                if (scanner.AtEnd) return false;
                var delimiter = scanner.Next();
                return delimiter is not ('\n' or '\\') && scanner.SkipPast(delimiter) && scanner.SkipPast(delimiter);
            default:
                return false;
        }
    }

    private static bool ScanSubstitution(ref Cursor scanner, List<ScriptFinding> findings)
    {
        if (scanner.AtEnd) return false;
        var delimiter = scanner.Next();
        if (delimiter is '\n' or '\\' || !scanner.SkipPast(delimiter) || !scanner.SkipPast(delimiter)) return false;
        while (!scanner.AtEnd)
        {
            var flag = scanner.Peek;
            if (flag == 'e')
            {
                findings.Add(new ScriptFinding(ScriptFindingKind.Executes, "s///e"));
                scanner.Next();
            }
            else if (flag == 'w')
            {
                scanner.Next();
                AddWrite(findings, "s///w", scanner.RestOfLine());
                return true;
            }
            else if (flag is 'g' or 'p' or 'i' or 'I' or 'm' or 'M' || char.IsAsciiDigit(flag))
            {
                scanner.Next();
            }
            else
            {
                return true;
            }
        }
        return true;
    }

    private static void AddWrite(List<ScriptFinding> findings, string construct, string file)
    {
        // GNU sed treats these names specially; writing to them is just output.
        if (file is "/dev/stdout" or "/dev/stderr") return;
        findings.Add(new ScriptFinding(ScriptFindingKind.Writes, construct, file));
    }

    private static bool SkipAddresses(ref Cursor scanner)
    {
        if (!SkipAddress(ref scanner)) return false;
        scanner.SkipWhile(static c => c is ' ' or '\t');
        if (scanner.AtEnd || scanner.Peek != ',') return true;
        scanner.Next();
        scanner.SkipWhile(static c => c is ' ' or '\t');
        if (!scanner.AtEnd && scanner.Peek is '+' or '~')
        {
            scanner.Next();
            scanner.SkipWhile(char.IsAsciiDigit);
            return true;
        }
        return SkipAddress(ref scanner);
    }

    private static bool SkipAddress(ref Cursor scanner)
    {
        if (scanner.AtEnd) return true;
        var c = scanner.Peek;
        if (char.IsAsciiDigit(c))
        {
            scanner.SkipWhile(static d => char.IsAsciiDigit(d) || d == '~');
            return true;
        }
        if (c == '$')
        {
            scanner.Next();
            return true;
        }
        if (c is '/' or '\\')
        {
            scanner.Next();
            var delimiter = c == '/' ? '/' : (scanner.AtEnd ? '\0' : scanner.Next());
            if (delimiter is '\0' or '\n' || !scanner.SkipPast(delimiter)) return false;
            scanner.SkipWhile(static f => f is 'I' or 'M');
        }
        return true;
    }

    private ref struct Cursor(string text)
    {
        private readonly string _text = text;
        private int _position;

        public readonly bool AtEnd => _position >= _text.Length;
        public readonly char Peek => _text[_position];

        public char Next() => _text[_position++];

        public void SkipWhile(Func<char, bool> predicate)
        {
            while (_position < _text.Length && predicate(_text[_position])) _position++;
        }

        public void SkipLine() => SkipWhile(static c => c != '\n');

        /// <summary>Skips past the next unescaped <paramref name="delimiter"/>; false if there is none.</summary>
        public bool SkipPast(char delimiter)
        {
            while (_position < _text.Length)
            {
                var c = _text[_position++];
                if (c == '\\') _position++;
                else if (c == delimiter) return true;
            }
            return false;
        }

        /// <summary>A file name or command: everything to the end of the line, leading blanks removed.</summary>
        public string RestOfLine()
        {
            SkipWhile(static c => c is ' ' or '\t');
            var start = _position;
            SkipLine();
            return _text[start.._position];
        }

        /// <summary>Text of a/i/c, which continues onto the next line after a trailing backslash.</summary>
        public void SkipText()
        {
            while (_position < _text.Length && _text[_position] != '\n')
            {
                if (_text[_position] == '\\') _position++;
                _position++;
            }
        }
    }
}
