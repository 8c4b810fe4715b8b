using Orchestrator.Core.Shell;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>
/// Reads bash's <c>set -x</c> trace written with <c>PS4=$'\x01 '</c>: each record starts with one <c>\x01</c> per level
/// of nesting and holds a command after expansion, quoted so that the shell could read it back.
/// </summary>
internal static class XtraceLog
{
    /// <summary>Compound commands bash traces by their keyword; they are not commands that run.</summary>
    private static readonly HashSet<string> Keywords = ["for", "case", "select", "[[", "((", "]]", "if", "while", "until", "function", "coproc"];

    public static IReadOnlyList<ObservedCommand> Read(string path, IReadOnlySet<string> builtins)
    {
        var records = new List<string>();
        if (!File.Exists(path)) return [];
        var text = TracedBash.Decode(File.ReadAllBytes(path));
        System.Text.StringBuilder? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('\x01'))
            {
                if (current is not null) records.Add(current.ToString());
                current = new System.Text.StringBuilder(line.TrimStart('\x01'));
                if (current.Length > 0 && current[0] == ' ') current.Remove(0, 1);
            }
            else if (line.StartsWith("+ PS4=", StringComparison.Ordinal)) continue; // each bash setting PS4 at startup
            else current?.Append('\n').Append(line);
        }
        if (current is not null) records.Add(current.ToString());

        var observed = new List<ObservedCommand>();
        foreach (var record in records)
            if (ReadRecord(record, builtins) is { } command) observed.Add(command);
        return observed;
    }

    private static ObservedCommand? ReadRecord(string record, IReadOnlySet<string> builtins)
    {
        var parsed = ShellParser.Parse(record);
        if (parsed.FullyUnderstood && parsed.Script.Lists is [{ Pipelines: [{ Commands: [SimpleCommand simple] }] }])
        {
            if (simple.Words.Count == 0 || simple.Words.Any(w => !w.IsStatic)) return null;
            var argv = simple.Words.Select(w => w.StaticValue!).ToArray();
            return builtins.Contains(argv[0]) && !Keywords.Contains(argv[0]) ? new ObservedCommand(ObservedKind.Builtin, argv[0], argv) : null;
        }
        var first = record.Split([' ', '\n'], 2)[0];
        if (Keywords.Contains(first) || !builtins.Contains(first)) return null;
        return new ObservedCommand(ObservedKind.Builtin, first, [first], ArgumentsKnown: false);
    }
}
