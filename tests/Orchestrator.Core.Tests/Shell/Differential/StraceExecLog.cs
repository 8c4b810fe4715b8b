using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>Reads the <c>execve</c> calls of <c>strace -ff -xx -o PREFIX</c> (one file per process, every byte in hex).</summary>
internal static partial class StraceExecLog
{
    /// <param name="skip">The argv of the traced bash itself, which is not a command of the script.</param>
    public static IReadOnlyList<ObservedCommand> Read(string directory, IReadOnlyList<string> skip)
    {
        var executed = new List<ObservedCommand>();
        var skipped = false;
        foreach (var file in Directory.GetFiles(directory, "exec.*").OrderBy(f => int.Parse(Path.GetExtension(f)[1..], CultureInfo.InvariantCulture)))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (!line.StartsWith("execve(", StringComparison.Ordinal) || !line.EndsWith(" = 0", StringComparison.Ordinal)) continue;
                var match = ExecLine().Match(line);
                if (!match.Success) throw new InvalidDataException($"cannot read strace line: {line}");
                if (match.Groups["more"].Success) throw new InvalidDataException($"strace abbreviated an argv: {line}");
                var filename = Hex(match.Groups["file"].Value);
                var argv = match.Groups["arg"].Captures.Select(c => Hex(c.Value)).ToArray();
                if (!skipped && argv.SequenceEqual(skip))
                {
                    skipped = true;
                    continue;
                }
                executed.Add(new ObservedCommand(ObservedKind.Executed, filename[(filename.LastIndexOf('/') + 1)..], argv));
            }
        }
        if (!skipped) throw new InvalidDataException("strace did not record the traced bash starting");
        return executed;
    }

    private static string Hex(string escaped)
    {
        var bytes = new byte[escaped.Length / 4];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = byte.Parse(escaped.AsSpan(i * 4 + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return TracedBash.Decode(bytes);
    }

    [GeneratedRegex("""^execve\("(?<file>(?:\\x[0-9a-f]{2})*)", \[(?:"(?<arg>(?:\\x[0-9a-f]{2})*)"(?:, )?)*(?<more>\.\.\.)?\], 0x[0-9a-f]+ /\* \d+ vars? \*/\) = 0$""")]
    private static partial Regex ExecLine();
}
