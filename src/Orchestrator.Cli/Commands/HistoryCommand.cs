using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Text;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator history [filters]</c>: the recorded calls in the journal's order, a table (JSON lines with
/// <c>--json</c>), a page at a time (<c>--cursor</c>, or <c>--all</c>); <c>orchestrator history show CALL-ID</c> (or
/// <c>history CALL-ID</c>): one call's recorded events with every layer's reason. From the server holding the data,
/// else straight from the journal (<see cref="JournalSource"/>).
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var command = new Command("history", "List recorded calls (filters, pages), or show one call's recorded events");
        var id = new Argument<string?>("call-id") { Description = "Show this call's events (as 'history show CALL-ID')", Arity = ArgumentArity.ZeroOrOne };
        var source = new JournalSource();
        var json = new Option<bool>("--json") { Description = "JSON lines, one call per line (with a call id: the server's JSON)" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var filters = HistoryQuery.Names.ToDictionary(n => n, n => new Option<string?>("--" + n) { Description = FilterHelp(n) });
        command.Arguments.Add(id);
        source.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(all);
        foreach (var option in filters.Values) command.Options.Add(option);
        command.SetAction((result, ct) => result.GetValue(id) is { } callId
            ? ShowAsync(result, source, callId, result.GetValue(json), ct)
            : ListAsync(result, source, name => result.GetValue(filters[name]), result.GetValue(json), result.GetValue(all), ct));
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static string FilterHelp(string name) => name switch
    {
        "from" or "to" => $"Calls received {(name == "from" ? "at or after" : "before")} this time (ISO 8601)",
        "decision" => "allow, ask or deny",
        "outcome" => "open, allowed-and-ran, denied, approval-denied, approval-timed-out, decided-only, failed or interrupted",
        "rule" => "Text in the deciding rule",
        "cursor" => "Start after this position (the 'next' a page printed)",
        "limit" => $"Calls per page (default {HistoryQuery.DefaultLimit}, at most {HistoryQuery.MaxLimit})",
        _ => $"Only this {name}",
    };

    private static Command CreateShow()
    {
        var show = new Command("show", "Show one call's recorded events, with every layer's reason");
        var id = new Argument<string>("call-id") { Description = "The call's id" };
        var source = new JournalSource();
        var json = new Option<bool>("--json") { Description = "Print the events as JSON" };
        show.Arguments.Add(id);
        source.AddTo(show);
        show.Options.Add(json);
        show.SetAction((result, ct) => ShowAsync(result, source, result.GetValue(id)!, result.GetValue(json), ct));
        return show;
    }

    private static async Task<int> ListAsync(ParseResult result, JournalSource source, Func<string, string?> value, bool json, bool all, CancellationToken ct)
    {
        var (filter, after, limit, error) = HistoryQuery.Parse(value);
        if (error is not null)
        {
            Console.Error.WriteLine($"orchestrator: --{error}");
            return ExitCodes.BadInput;
        }
        var printer = new HistoryTable(json);
        return await source.RunAsync(result, async client =>
        {
            var (cursor, error) = await ServerPages.FollowAsync(client, "v1/history", ServerPages.Query(HistoryQuery.Names, value),
                after > 0 ? after.ToString(CultureInfo.InvariantCulture) : null, all, body =>
                {
                    var page = body.Deserialize<HistoryViews.Page>(OrchestratorServer.Json)!;
                    printer.Print(page.Calls);
                    return page.Next;
                }, ct);
            if (error is not null)
            {
                Console.Error.WriteLine($"orchestrator: {error}");
                return ExitCodes.Failure;
            }
            printer.End(cursor);
            return ExitCodes.Allow;
        }, async system =>
        {
            await using var history = new JournalHistory(system);
            long? next = after;
            do
            {
                var page = await history.ListAsync(filter, next.Value, limit, ct);
                printer.Print(HistoryViews.PageOf(page.Calls, page.Next).Calls);
                next = page.Next;
            }
            while (all && next is not null);
            printer.End(next?.ToString(CultureInfo.InvariantCulture));
            return ExitCodes.Allow;
        }, ct);
    }

    private static Task<int> ShowAsync(ParseResult result, JournalSource source, string callId, bool json, CancellationToken ct) =>
        source.RunAsync(result, async client =>
        {
            var response = await client.SendAsync(HttpMethod.Get, $"v1/calls/{Uri.EscapeDataString(callId)}/events", null, ct);
            if (!response.IsSuccess)
            {
                Console.Error.WriteLine($"orchestrator: {response.ErrorText}");
                return ExitCodes.Failure;
            }
            return PrintEvents(callId, response.Body, json);
        }, async system =>
        {
            if (!IdSyntax.IsValid(callId))
            {
                Console.Error.WriteLine($"orchestrator: '{DisplayText.Escape(callId)}' is not a call id");
                return ExitCodes.BadInput;
            }
            var call = new CallId(callId);
            var place = await CallDirectory.Get(system).FindAsync(call, ct);
            if (place is null)
            {
                Console.Error.WriteLine($"orchestrator: no call {DisplayText.Escape(callId)} in the journal");
                return ExitCodes.Failure;
            }
            var events = await new CallHistoryReader(system).EventsOfAsync(place.Session, call, ct);
            var body = JsonSerializer.SerializeToElement(new { callId, sessionId = place.Session.Value, events = events.Select(EventView.From) }, OrchestratorServer.Json);
            return PrintEvents(callId, body, json);
        }, ct);

    private static int PrintEvents(string callId, JsonElement body, bool json)
    {
        if (json)
        {
            Console.WriteLine(body.GetRawText());
            return ExitCodes.Allow;
        }
        Console.WriteLine($"call {DisplayText.Escape(callId)} (session {DisplayText.Escape(body.GetProperty("sessionId").GetString())})");
        foreach (var e in body.GetProperty("events").EnumerateArray())
        {
            Console.WriteLine($"  #{e.GetProperty("sequenceNr").GetInt64(),-4} {DisplayText.Escape(e.GetProperty("type").GetString()),-32} {HistoryEventText.Describe(e.GetProperty("event"))}");
            // What a structured tool changed, as the recorded (bounded) unified diff.
            if (HistoryEventText.ToolOf(e.GetProperty("event")) is { } tool && tool.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.String)
                foreach (var line in diff.GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Console.WriteLine($"        {DisplayText.Escape(line)}");
        }
        return ExitCodes.Allow;
    }
}
