using System.Text.Json;
using Orchestrator.Core.Text;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>Prints history pages: a readable table (header once), or JSON lines; at the end, how to get the next page.</summary>
internal sealed class HistoryTable(bool json)
{
    private bool _headed;
    private int _printed;

    public void Print(IReadOnlyList<HistoryViews.CallLine> calls)
    {
        foreach (var c in calls)
        {
            _printed++;
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(c, OrchestratorServer.Json));
                continue;
            }
            if (!_headed)
            {
                Console.WriteLine($"{"POSITION",-9} {"RECEIVED (UTC)",-19} {"CALL",-20} {"AGENT",-12} {"TOOL",-9} {"DECISION",-8} {"OUTCOME",-18} {"RULE",-24} SUBJECT");
                _headed = true;
            }
            var subject = c.Subject.Length > 60 ? c.Subject[..59] + "…" : c.Subject;
            Console.WriteLine($"{c.Position,-9} {c.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} {Cell(c.CallId, 20)} {Cell(c.Agent, 12)} {Cell(c.Tool, 9)} " +
                $"{Cell(c.Decision ?? "-", 8)} {Cell(c.Outcome ?? "open", 18)} {Cell(c.Rule ?? "-", 24)} {DisplayText.Escape(subject)}");
        }
    }

    public void End(string? next)
    {
        if (!json && _printed == 0) Console.WriteLine("no recorded calls match");
        if (next is not null) Console.Error.WriteLine($"orchestrator: more calls: --cursor {next} (or --all)");
    }

    private static string Cell(string text, int width)
    {
        var escaped = DisplayText.Escape(text);
        return (escaped.Length > width ? escaped[..(width - 1)] + "…" : escaped).PadRight(width);
    }
}
