using System.Text;

namespace Orchestrator.Sandbox.Tests.Windows;

/// <summary>
/// A reference re-implementation of how CommandLineToArgvW / the MSVC runtime split a command line, written from
/// Microsoft's "Parsing C command-line arguments" rules, to check the quoting by round trip.
/// </summary>
internal static class CommandLineToArgv
{
    public static List<string> Parse(string line)
    {
        var argv = new List<string>();
        var i = 0;

        // argv[0]: up to the next quote if it starts with one, else up to whitespace; backslashes are literal.
        var program = new StringBuilder();
        if (i < line.Length && line[i] == '"')
        {
            i++;
            while (i < line.Length && line[i] != '"')
                program.Append(line[i++]);
            if (i < line.Length)
                i++;
        }
        else
        {
            while (i < line.Length && line[i] is not (' ' or '\t'))
                program.Append(line[i++]);
        }
        argv.Add(program.ToString());

        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
                i++;
            if (i >= line.Length)
                return argv;

            var arg = new StringBuilder();
            var quoted = false;
            while (i < line.Length && (quoted || line[i] is not (' ' or '\t')))
            {
                if (line[i] == '\\')
                {
                    var n = 0;
                    while (i < line.Length && line[i] == '\\')
                    {
                        n++;
                        i++;
                    }
                    if (i < line.Length && line[i] == '"')
                    {
                        arg.Append('\\', n / 2);
                        if (n % 2 == 1)
                        {
                            arg.Append('"');
                            i++;
                        }
                    }
                    else
                    {
                        arg.Append('\\', n);
                    }
                }
                else if (line[i] == '"')
                {
                    if (quoted && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        arg.Append('"');
                        i += 2;
                    }
                    else
                    {
                        quoted = !quoted;
                        i++;
                    }
                }
                else
                {
                    arg.Append(line[i++]);
                }
            }
            argv.Add(arg.ToString());
        }
    }
}
