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
            var query = string.Join('&', HistoryQuery.Names.Where(n => n != "cursor" && value(n) is not null)
                .Select(n => $"{n}={Uri.EscapeDataString(value(n)!)}"));
            string? cursor = after > 0 ? after.ToString(CultureInfo.InvariantCulture) : null;
            do
            {
                var response = await client.SendAsync(HttpMethod.Get, $"v1/history?{query}{(cursor is null ? "" : $"&cursor={cursor}")}", null, ct);
                if (!response.IsSuccess)
                {
                    Console.Error.WriteLine($"orchestrator: {response.ErrorText}");
                    return ExitCodes.Failure;
                }
                var page = response.Body.Deserialize<HistoryViews.Page>(OrchestratorServer.Json)!;
                printer.Print(page.Calls);
                cursor = page.Next;
            }
            while (all && cursor is not null);
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
            Console.WriteLine($"  #{e.GetProperty("sequenceNr").GetInt64(),-4} {DisplayText.Escape(e.GetProperty("type").GetString()),-32} {Describe(e.GetProperty("event"))}");
            // What a structured tool changed, as the recorded (bounded) unified diff.
            if (ToolOf(e.GetProperty("event")) is { } tool && tool.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.String)
                foreach (var line in diff.GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Console.WriteLine($"        {DisplayText.Escape(line)}");
        }
        return ExitCodes.Allow;
    }

    /// <summary>The record of a structured tool in an execution-finished event (null for Bash and other events).</summary>
    private static JsonElement? ToolOf(JsonElement evt) =>
        evt.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.Object ? tool : null;

    /// <summary>The few fields an operator reads first; the whole event is in --json.</summary>
    private static string Describe(JsonElement evt)
    {
        var parts = new List<string>();
        void Add(JsonElement element, string name, string? label = null)
        {
            if (!element.TryGetProperty(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return;
            var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            // Stored enum values are camelCase; everything else Orchestrator prints is kebab-case.
            if (name is "decision" or "reasonClass" or "outcome" or "scope") text = KebabCase.Of(text);
            parts.Add($"{label ?? name}={DisplayText.Escape(text)}");
        }
        var decided = evt.TryGetProperty("decided", out var d) ? d : evt;
        if (decided.TryGetProperty("verdict", out var verdict))
        {
            Add(verdict, "decision");
            Add(verdict, "reasonClass", "reason");
            // Every layer's say: the rule and the layer it was written in, the policy's words, each hook's answer.
            if (verdict.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.Object)
                parts.Add($"rule={DisplayText.Escape(rule.GetProperty("text").GetString())} layer={DisplayText.Escape(KebabCase.Of(rule.GetProperty("layer").GetString() ?? ""))} " +
                    $"at={DisplayText.Escape(rule.GetProperty("file").GetString())}:{rule.GetProperty("line").GetRawText()}");
            Add(verdict, "reason", "why");
            Add(verdict, "classifierReason", "classifier");
            if (decided.TryGetProperty("hooks", out var hooks) && hooks.ValueKind == JsonValueKind.Array)
                foreach (var hook in hooks.EnumerateArray())
                    parts.Add($"hook[{DisplayText.Escape(hook.GetProperty("name").GetString())}]=" +
                        DisplayText.Escape(hook.TryGetProperty("decision", out var hd) && hd.ValueKind == JsonValueKind.String ? KebabCase.Of(hd.GetString()!) : "no-objection") +
                        (hook.TryGetProperty("reason", out var hr) && hr.ValueKind == JsonValueKind.String ? $" ({DisplayText.Escape(hr.GetString())})" : ""));
        }
        foreach (var name in new[] { "approvalId", "approved", "answeredBy", "sandboxKind", "outcome", "exitCode", "detail", "reason" })
            Add(evt, name);
        if (evt.TryGetProperty("result", out var result)) Add(result, "exitCode");
        if (ToolOf(evt) is { } tool)
        {
            Add(tool, "target", ToolRecord.TargetLabel(tool.TryGetProperty("tool", out var name) ? name.GetString() : null));
            if (tool.TryGetProperty("rangeEnd", out var end) && end.ValueKind == JsonValueKind.Number)
                parts.Add($"bytes={tool.GetProperty("rangeStart").GetRawText()}-{end.GetRawText()}");
            Add(tool, "digest");
            Add(tool, "beforeDigest", "before");
            Add(tool, "afterDigest", "after");
        }
        // The sandbox layers an ExecutionStarted recorded (absent in events written before they were).
        if (evt.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Object &&
            layers.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.Array)
            parts.Add($"layers=[{DisplayText.Escape(string.Join(", ", active.EnumerateArray().Select(l => l.GetString())))}]");
        // An automatic decision recorded in one event carries its approval and completion inside.
        if (evt.TryGetProperty("answered", out var answered) && answered.ValueKind == JsonValueKind.Object)
        {
            Add(answered, "approved");
            Add(answered, "answeredBy");
        }
        if (evt.TryGetProperty("completed", out var completed) && completed.ValueKind == JsonValueKind.Object)
            Add(completed, "outcome");
        return string.Join(' ', parts);
    }
}
