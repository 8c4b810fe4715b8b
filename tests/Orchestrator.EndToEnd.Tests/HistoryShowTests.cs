using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Text;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// <c>orchestrator history show CALL-ID</c> (text and <c>--json</c>, straight from the journal) on calls made through a
/// real <c>serve</c> whose trails hold, between them, every call event kind the event registry knows: received, hooked
/// before (PreToolUse with its context) and after (PostToolUse), asked by a rule, answered by an operator, run with its
/// output, ended; decided automatically in one event; queued behind a full execution slot; interrupted by a SIGKILL;
/// an approval timed out. One call cannot hold them all (completed and interrupted, answered and timed out, one event
/// or several exclude each other), so the kinds are counted over the trails. Each kind has its line here: a kind added
/// to the registry without one (and without <c>show</c> printing its layer's reason) fails this test.
/// </summary>
public sealed class HistoryShowTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public void Dispose() => _setup.Dispose();

    /// <summary>What <c>show</c> must print for an event of each kind, from its stored JSON: the reason its layer gave.</summary>
    private static readonly Dictionary<string, Func<JsonElement, IEnumerable<string>>> ReasonShown = new(StringComparer.Ordinal)
    {
        ["call-received.v1"] = e => [$"tool={Text(e, "call", "toolName")}", $"command={Text(e, "call", "input", "command")}"],
        ["call-decided.v1"] = e => [.. Verdict(e), .. Hooks(e)],
        // Its completion is inside only when the call ended in the same write (not for a call that went on to run).
        ["call-received-and-decided.v1"] = e => [$"tool={Text(e, "received", "call", "toolName")}", .. Verdict(e.GetProperty("decided")),
            .. e.GetProperty("completed").ValueKind == JsonValueKind.Object ? [$"outcome={KebabCase.Of(Text(e, "completed", "outcome"))}"] : Array.Empty<string>()],
        ["approval-requested.v1"] = e => [$"approvalId={Text(e, "approvalId")}", $"reason={Text(e, "reason")}", $"class={KebabCase.Of(Text(e, "reasonClass"))}"],
        ["approval-answered.v1"] = e => [$"approvalId={Text(e, "approvalId")}", "approved=true", $"answeredBy={Text(e, "answeredBy")}", $"scope={KebabCase.Of(Text(e, "scope"))}"],
        ["approval-timed-out.v1"] = e => [$"approvalId={Text(e, "approvalId")}", $"deadline={Text(e, "deadline")}"],
        ["execution-queued.v1"] = e => [$"reason={Text(e, "reason")}"],
        ["execution-started.v1"] = e => [$"sandboxKind={Text(e, "sandboxKind")}", "layers=["],
        ["execution-finished.v1"] = e => [$"exitCode={e.GetProperty("result").GetProperty("exitCode").GetInt32()}"],
        ["post-tool-hooks-ran.v1"] = e => [$"hook-event={Text(e, "event")}", .. Hooks(e)],
        ["call-completed.v1"] = e => [$"outcome={KebabCase.Of(Text(e, "outcome"))}"],
        ["call-interrupted.v1"] = e => [$"reason={Text(e, "reason")}"],
    };

    private static string Text(JsonElement e, params string[] path)
    {
        foreach (var name in path) e = e.GetProperty(name);
        return DisplayText.Escape(e.GetString());
    }

    private static IEnumerable<string> Verdict(JsonElement decided)
    {
        var verdict = decided.GetProperty("verdict");
        yield return $"decision={KebabCase.Of(Text(verdict, "decision"))}";
        yield return $"reason={KebabCase.Of(Text(verdict, "reasonClass"))}";
        if (verdict.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.Object)
            yield return $"rule={Text(rule, "text")} layer={KebabCase.Of(Text(rule, "layer"))}";
    }

    /// <summary>Each recorded hook by name, with the context it gave; the hooks of these calls ran, so there are some.</summary>
    private static IEnumerable<string> Hooks(JsonElement holder)
    {
        var hooks = holder.GetProperty("hooks").EnumerateArray().ToList();
        Assert.NotEmpty(hooks);
        foreach (var hook in hooks)
        {
            yield return $"hook[{Text(hook, "name")}]=";
            if (hook.TryGetProperty("additionalContext", out var context) && context.ValueKind == JsonValueKind.String)
                yield return $"context={DisplayText.Escape(context.GetString())}";
        }
    }

    /// <summary>Every call event kind the journal may hold, from the registry the serializer is built from.</summary>
    private static IReadOnlyList<string> CallEventKinds() =>
        [.. EventTypeRegistry.Discover().EventTypes.Where(t => t.IsSubclassOf(typeof(CallEvent)))
            .Select(t => t.GetCustomAttribute<EventManifestAttribute>()!.Manifest)];

    private object Call(string id, string tool, string key, string value, double wait = 0) => new
    {
        id, agentId = "agent-1", sessionId = "show-session", tool,
        input = new Dictionary<string, string> { [key] = value }, cwd = _setup.Project, intent = "execute", wait,
    };

    private static async Task<string[]> TypesAsync(ServerProcess server, string id)
    {
        var (status, body) = await server.GetAsync($"/v1/calls/{id}/events");
        return status == 200 ? [.. body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)] : [];
    }

    /// <summary>Polls the call's recorded events until <paramref name="done"/> holds for their types.</summary>
    private static Task AwaitEventsAsync(ServerProcess server, string id, Func<string[], bool> done) =>
        Poll.UntilAsync(() => TypesAsync(server, id), done, $"call {id}: its events getting there", Patience, () => server.Log);

    private static bool Ended(string[] types) => types.Contains("call-completed.v1") || types.Contains("call-interrupted.v1");

    [Fact]
    public async Task History_show_prints_every_call_event_kind_of_the_registry_with_its_layers_reason_as_text_and_json()
    {
        const string pre = """echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"additionalContext\":\"pre-hook looked\"}}'""";
        const string post = """echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PostToolUse\",\"additionalContext\":\"post-hook looked\"}}'""";
        _setup.WriteSettings($$"""
            { "permissions": { "ask": ["Bash(printf:*)"] }, "orchestrator": { "approvalPolicy": "on-request" },
              "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "{{pre}}" } ] } ],
                         "PostToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "{{post}}" } ] } ] } }
            """);
        File.WriteAllText(Path.Combine(_setup.Project, "notes.txt"), "notes\n");
        var gate = Path.Combine(_setup.Project, "gate");
        // One execution slot: a run waiting for the gate holds it, so the next call to run is queued.
        _setup.ExtraArguments.AddRange(["--max-runs", "1"]);

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            // Hooked before and after, asked by the rule, approved by an operator, run, ended.
            var (status, body) = await server.PostAsync("/v1/calls", Call("asked", "Bash", "command", "printf asked"));
            Assert.True(status == 202, $"{status} {body}");
            await AwaitEventsAsync(server, "asked", t => t.Contains("approval-requested.v1"));
            var approvalId = (await server.GetAsync("/v1/calls/asked")).Body.GetProperty("pendingApproval").GetProperty("approvalId").GetString();
            using (var operatorClient = new HttpClient { BaseAddress = server.Url })
            {
                operatorClient.DefaultRequestHeaders.Authorization = new("Bearer", _setup.Tokens[ServerSetup.Operator]);
                var answered = await operatorClient.PostAsJsonAsync($"/v1/approvals/{approvalId}", new { decision = "approve", reason = "looks fine" });
                Assert.True(answered.IsSuccessStatusCode, $"{answered.StatusCode} {await answered.Content.ReadAsStringAsync()}");
            }
            await AwaitEventsAsync(server, "asked", t => t.Contains("call-completed.v1"));

            // No hook for Read: decided, run and ended on the automatic path.
            (status, body) = await server.PostAsync("/v1/calls", Call("automatic", "Read", "file_path", Path.Combine(_setup.Project, "notes.txt"), wait: 60));
            Assert.True(status == 201, $"{status} {body}");

            // Holds the one slot until the gate opens (or the server dies), so "queued" waits for it.
            (status, body) = await server.PostAsync("/v1/calls", Call("running", "Bash", "command",
                "echo started > started.txt; for i in $(seq 1200); do [ -e gate ] && break; sleep 0.1; done"));
            Assert.True(status is 201 or 202, $"{status} {body}");
            await AwaitEventsAsync(server, "running", t => t.Contains("execution-started.v1"));
            (status, body) = await server.PostAsync("/v1/calls", Call("queued", "Bash", "command", "echo queued"));
            Assert.True(status is 201 or 202, $"{status} {body}");
            await AwaitEventsAsync(server, "queued", t => t.Contains("execution-queued.v1"));
            server.Kill();
        }
        File.WriteAllText(gate, "");

        _setup.ApprovalTimeoutSeconds = 1;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            // The run the crash cut short is interrupted, never run again; the queued call goes on.
            await AwaitEventsAsync(server, "running", t => t.Contains("call-interrupted.v1"));
            await AwaitEventsAsync(server, "queued", Ended);
            // Nobody answers within the (one second) approval timeout.
            var (status, body) = await server.PostAsync("/v1/calls", Call("timed-out", "Bash", "command", "printf late"));
            Assert.True(status == 202, $"{status} {body}");
            await AwaitEventsAsync(server, "timed-out", t => t.Contains("approval-timed-out.v1") && t.Contains("call-completed.v1"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in new[] { "asked", "automatic", "running", "queued", "timed-out" })
        {
            var json = _setup.Cli("history", "show", id, "--data", _setup.Data, "--json");
            Assert.True(json.ExitCode == 0, json.ToString());
            var events = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("events").EnumerateArray().ToList();
            var text = _setup.Cli("history", "show", id, "--data", _setup.Data);
            Assert.True(text.ExitCode == 0, text.ToString());
            var lines = text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("  #", StringComparison.Ordinal)).ToList();
            Assert.True(lines.Count == events.Count, $"{id}: {events.Count} events in --json, {lines.Count} lines in the text:\n{text.Stdout}");
            for (var i = 0; i < events.Count; i++)
            {
                var type = events[i].GetProperty("type").GetString()!;
                seen.Add(type);
                Assert.True(ReasonShown.TryGetValue(type, out var expected), $"no expectation for event kind {type}: what must 'history show' print for it?");
                Assert.Contains($"#{events[i].GetProperty("sequenceNr").GetInt64()}", lines[i]);
                Assert.Contains(type, lines[i]);
                foreach (var part in expected(events[i].GetProperty("event")))
                    Assert.True(lines[i].Contains(part, StringComparison.Ordinal), $"{id}, {type}: '{part}' missing from\n{lines[i]}\n(event {events[i]})");
            }
        }
        Assert.Contains("context=pre-hook looked", _setup.Cli("history", "show", "asked", "--data", _setup.Data).Stdout);

        var kinds = CallEventKinds();
        Assert.True(kinds.Count >= 12, string.Join(", ", kinds));
        Assert.Empty(kinds.Except(ReasonShown.Keys));
        Assert.True(kinds.All(seen.Contains), $"kinds no trail holds: {string.Join(", ", kinds.Where(k => !seen.Contains(k)))}");
    }
}
