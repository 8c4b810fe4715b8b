using System.CommandLine;
using System.Text.Json;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Text;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator history CALL-ID</c>: one call's recorded events, in journal order, from a running server.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var command = new Command("history", "Show the recorded events of a call on a running server");
        var id = new Argument<string>("call-id") { Description = "The call's id" };
        var options = new ClientOptions();
        var json = new Option<bool>("--json") { Description = "Print the server's JSON" };
        command.Arguments.Add(id);
        options.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, ct) => options.RunAsync(result, async client =>
        {
            var callId = result.GetValue(id)!;
            var response = await client.SendAsync(HttpMethod.Get, $"v1/calls/{Uri.EscapeDataString(callId)}/events", null, ct);
            if (!response.IsSuccess)
            {
                Console.Error.WriteLine($"orchestrator: {response.ErrorText}");
                return ExitCodes.Failure;
            }
            if (result.GetValue(json))
            {
                Console.WriteLine(response.Body.GetRawText());
                return ExitCodes.Allow;
            }
            Console.WriteLine($"call {DisplayText.Escape(callId)} (session {DisplayText.Escape(response.Body.GetProperty("sessionId").GetString())})");
            foreach (var e in response.Body.GetProperty("events").EnumerateArray())
            {
                Console.WriteLine($"  #{e.GetProperty("sequenceNr").GetInt64(),-4} {DisplayText.Escape(e.GetProperty("type").GetString()),-32} {Describe(e.GetProperty("event"))}");
                // What a structured tool changed, as the recorded (bounded) unified diff.
                if (ToolOf(e.GetProperty("event")) is { } tool && tool.TryGetProperty("diff", out var diff) && diff.ValueKind == JsonValueKind.String)
                    foreach (var line in diff.GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                        Console.WriteLine($"        {DisplayText.Escape(line)}");
            }
            return ExitCodes.Allow;
        }));
        return command;
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
