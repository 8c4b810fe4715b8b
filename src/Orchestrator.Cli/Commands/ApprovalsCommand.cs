using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Text;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator approvals list|approve|deny</c> against a running server. Exit 0 when done, 1 when the server
/// refused (duplicate or stale answer — the decision that stands is printed — or unknown id), 2 for bad input.
/// Who answers is the identity of the token (or the local user), never a name given on the command line.
/// </summary>
internal static class ApprovalsCommand
{
    public static Command Create()
    {
        var command = new Command("approvals", "List and answer pending approvals on a running server");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Answer("approve", approved: true));
        command.Subcommands.Add(Answer("deny", approved: false));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Pending approvals, earliest deadline first, a page at a time (--cursor, or --all)");
        var options = new ClientOptions();
        var json = new Option<bool>("--json") { Description = "Print the server's JSON (with --all: one object holding every page's approvals)" };
        var all = new Option<bool>("--all") { Description = "Follow every page to the end" };
        var filters = ApprovalListQuery.Names.ToDictionary(n => n, n => new Option<string?>(OptionOf(n)) { Description = FilterHelp(n) });
        options.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(all);
        foreach (var option in filters.Values) command.Options.Add(option);
        command.SetAction((result, ct) =>
        {
            string? Value(string name) => result.GetValue(filters[name]);
            if (ApprovalListQuery.Parse(Value).Error is { } error) return Task.FromResult(Fail(OptionError(error), ExitCodes.BadInput));
            var query = ServerPages.Query(ApprovalListQuery.Names, Value);
            return options.RunAsync(result, client => ListAsync(client, query, Value("cursor"), result.GetValue(json), result.GetValue(all), ct));
        });
        return command;
    }

    /// <summary>The option of a query name: <c>sessionPrefix</c> is <c>--session-prefix</c>.</summary>
    private static string OptionOf(string name) => "--" + KebabCase.Of(name);

    /// <summary>The query's error (it starts with the value's name) naming the option instead.</summary>
    private static string OptionError(string error) =>
        ApprovalListQuery.Names.FirstOrDefault(n => error.StartsWith(n + " ", StringComparison.Ordinal)) is { } name
            ? OptionOf(name) + error[name.Length..]
            : error;

    private static string FilterHelp(string name) => name switch
    {
        "sessionPrefix" => "Only approvals of sessions whose id starts with this",
        "workspace" => "Only approvals of calls in this workspace directory",
        "cursor" => "Start after this position (the 'next' a page printed)",
        "limit" => $"Approvals per page (default {ApprovalListQuery.DefaultLimit}, at most {ApprovalListQuery.MaxLimit})",
        _ => $"Only this {name}'s approvals",
    };

    private static async Task<int> ListAsync(ServerClient client, string query, string? cursor, bool json, bool all, CancellationToken ct)
    {
        var collected = new List<JsonElement>();
        var printed = 0;
        int? total = null;
        // --json of one page prints the server's page as it is.
        var raw = json && !all;
        (cursor, var error) = await ServerPages.FollowAsync(client, "v1/approvals", query, cursor, all, page =>
        {
            if (raw)
            {
                Console.WriteLine(page.GetRawText());
                return null;
            }
            var approvals = page.GetProperty("approvals");
            if (json) collected.AddRange(approvals.EnumerateArray().Select(a => a.Clone()));
            else foreach (var a in approvals.EnumerateArray()) Print(a);
            printed += approvals.GetArrayLength();
            if (total is null && page.TryGetProperty("total", out var counted) && counted.TryGetInt32(out var pending)) total = pending;
            return ServerPages.NextOf(page);
        }, ct);
        if (error is not null) return Fail(error);
        if (raw) return ExitCodes.Allow;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { approvals = collected, next = (string?)null, total = collected.Count }));
            return ExitCodes.Allow;
        }
        if (printed == 0) Console.WriteLine("no pending approvals");
        if (cursor is not null) Console.Error.WriteLine($"orchestrator: {total ?? printed} pending in all; more: --cursor {DisplayText.Escape(cursor)} (or --all)");
        return ExitCodes.Allow;
    }

    private static void Print(JsonElement a)
    {
        var deadline = a.GetProperty("deadline").GetDateTimeOffset();
        var left = deadline - DateTimeOffset.UtcNow;
        Console.WriteLine($"{Text(a, "approvalId")}  {Text(a, "summary")}");
        Console.WriteLine($"    agent {Text(a, "agentId")}, session {Text(a, "sessionId")}" +
            (a.TryGetProperty("parentSessionId", out var parent) && parent.ValueKind == JsonValueKind.String
                ? $" (sub-agent of session {Text(a, "parentSessionId")})" : "") + $", call {Text(a, "callId")}; " +
            $"{Text(a, "reasonClass")}: {Text(a, "reason")}; group {Text(a, "approverGroup")}" +
            (a.TryGetProperty("escalatedAt", out var escalated) && escalated.ValueKind == JsonValueKind.String
                ? $" (escalated at {escalated.GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture)}, level {Text(a, "escalationLevel")})" : "") + "; " +
            $"expires {deadline.ToString("u", CultureInfo.InvariantCulture)} (in {Math.Max(0, (int)left.TotalSeconds)} s)");
    }

    private static Command Answer(string name, bool approved)
    {
        var command = new Command(name, approved ? "Approve a pending call" : "Deny a pending call");
        var id = new Argument<string>("approval-id") { Description = "The approval's id (from 'approvals list')" };
        var options = new ClientOptions();
        var scope = new Option<string>("--scope") { Description = "once (default), session, always or team (the parent session and every sub-session)", DefaultValueFactory = _ => "once" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded)" };
        command.Arguments.Add(id);
        options.AddTo(command);
        command.Options.Add(scope);
        command.Options.Add(reason);
        command.SetAction((result, ct) =>
        {
            var scopeValue = result.GetValue(scope)!;
            if (scopeValue is not ("once" or "session" or "always" or "team"))
                return Task.FromResult(Fail($"--scope must be once, session, always or team, not '{scopeValue}'", ExitCodes.BadInput));
            var approvalId = result.GetValue(id)!;
            return options.RunAsync(result, async client =>
            {
                var response = await client.SendAsync(HttpMethod.Post, $"v1/approvals/{Uri.EscapeDataString(approvalId)}",
                    new { decision = approved ? "approve" : "deny", scope = scopeValue, reason = result.GetValue(reason) }, ct);
                if (!response.IsSuccess)
                {
                    if (response.Body.ValueKind == JsonValueKind.Object && response.Body.TryGetProperty("firstAnswer", out var first) &&
                        first.ValueKind == JsonValueKind.Object)
                        Console.Error.WriteLine($"orchestrator: the decision that stands: {(first.GetProperty("approved").GetBoolean() ? "approved" : "denied")} " +
                            $"by {Text(first, "answeredBy")} at {Text(first, "answeredAt")}");
                    return Fail(response.ErrorText);
                }
                var call = response.Body.GetProperty("call");
                Console.WriteLine($"{(approved ? "approved" : "denied")} {DisplayText.Escape(approvalId)} ({scopeValue}); call {Text(call, "callId")} is {Text(call, "status")}" +
                    (call.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String ? $": {outcome.GetString()}" : ""));
                return ExitCodes.Allow;
            });
        });
        return command;
    }

    /// <summary>A field as shown: every control, bidi and invisible character (line breaks too) as a visible escape.</summary>
    private static string Text(JsonElement element, string property) => DisplayText.Escape(
        element.TryGetProperty(property, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText() : "");

    private static int Fail(string message, int code = ExitCodes.Failure)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}
