using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Issue 11: 100 agents, each with its own agent token and session, submit executed calls while the server is killed
/// with SIGKILL and restarted on the same journal 10 times in a row. A client that did not see its call acknowledged
/// resubmits the same call id. Each command appends its call id to a file, so a second execution would show. In the
/// end every acknowledged call is in the journal, finished or recorded interrupted (DESIGN §2), and no line is there twice.
/// </summary>
public sealed class RepeatedCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Agents = 100, CallsPerAgent = 3, Kills = 10, MaxAttempts = 40;
    private const int AcksBetweenKills = Agents * CallsPerAgent / (Kills + 1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryWithoutHint = TimeSpan.FromSeconds(1);

    private readonly ServerSetup _setup = new(Backend.Sqlite);
    private readonly HttpClient _http = new() { Timeout = Patience };
    private readonly ConcurrentDictionary<string, string> _acknowledged = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private volatile Life _life = new();
    private int _acks, _cutOff;
    private volatile TaskCompletionSource _target = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _targetAcks = int.MaxValue;

    /// <summary>One server process's lifetime as clients see it: its address once it is ready, and its end.</summary>
    private sealed class Life
    {
        public TaskCompletionSource<Uri> Up { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Down { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Dispose()
    {
        _http.Dispose();
        _setup.Dispose();
    }

    private static string AgentName(int a) => $"chaos-agent-{a:D3}";

    private string SideFile => Path.Combine(_setup.Project, "side.txt");

    private static string Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    [Fact]
    public async Task A_hundred_agents_through_ten_kills_lose_no_acknowledged_call_and_run_no_command_twice()
    {
        for (var a = 0; a < Agents; a++) _setup.MoreAgents.Add(AgentName(a));
        var server = await ServerProcess.StartAsync(_setup);
        try
        {
            _life.Up.SetResult(server.Url);
            var agents = Task.WhenAll(Enumerable.Range(0, Agents).Select(a => Task.Run(() => AgentAsync(a))));
            for (var kill = 1; kill <= Kills; kill++)
            {
                var target = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _target = target;
                _targetAcks = kill * AcksBetweenKills;
                if (Volatile.Read(ref _acks) >= _targetAcks) target.TrySetResult();
                await Task.WhenAny(target.Task, agents);
                Assert.True(target.Task.IsCompleted, $"the agents stopped at {_acks} acknowledged calls before kill {kill}:\n{Failures()}");

                var dying = _life;
                _life = new Life();
                server.Kill();
                dying.Down.SetResult();
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(_setup);
                _life.Up.SetResult(server.Url);
            }
            await agents;
            Assert.True(_failures.IsEmpty, Failures());
            Assert.Equal(Agents * CallsPerAgent, _acknowledged.Count);
            // The kills hit calls in flight: some clients were cut off and had to resubmit into the next server.
            Assert.True(_cutOff > 0, "no request was ever cut off by a kill");
            await AssertEveryCallRecordedOnceAsync(server);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private string Failures() => string.Join('\n', _failures.Take(10));

    /// <summary>One agent's calls in order: even ones return at once (202), odd ones wait for the command's end (201).</summary>
    private async Task AgentAsync(int a)
    {
        var agent = AgentName(a);
        for (var c = 0; c < CallsPerAgent; c++)
        {
            var id = $"{agent}-call-{c}";
            var body = new
            {
                id, agentId = agent, sessionId = $"session-{agent}", tool = "Bash",
                input = new Dictionary<string, string> { ["command"] = $"echo {id} >> side.txt" },
                cwd = _setup.Project, intent = "execute", wait = c % 2 == 0 ? 0 : Patience.TotalSeconds,
            };
            if (await SubmitUntilAcknowledgedAsync(agent, id, body) is { } failure)
            {
                _failures.Enqueue(failure);
                return;
            }
            if (Interlocked.Increment(ref _acks) >= _targetAcks) _target.TrySetResult();
        }
    }

    /// <summary>Submits (the same id every time) until the server acknowledges it; null, or why it never did.</summary>
    private async Task<string?> SubmitUntilAcknowledgedAsync(string agent, string id, object body)
    {
        var last = "";
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var life = _life;
            var url = await life.Up.Task.WaitAsync(Patience);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/v1/calls")) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", _setup.Tokens[agent]);
            HttpResponseMessage response;
            try { response = await _http.SendAsync(request); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Refused or cut off: only a kill may do that. The call's fate is unknown until the next server says.
                last = e.Message;
                Interlocked.Increment(ref _cutOff);
                try { await life.Down.Task.WaitAsync(Patience); }
                catch (TimeoutException) { return $"call {id}: {e.Message} while no kill was under way"; }
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status is 200 or 201 or 202)
                {
                    var call = JsonDocument.Parse(text).RootElement;
                    if (Text(call, "callId") != id) return $"call {id}: acknowledged as {text}";
                    _acknowledged[id] = Text(call, "status");
                    return null;
                }
                if (status is not (503 or 429)) return $"call {id}: {status} {text}";
                last = $"{status} {text}";
                // Recovering or overloaded: come back when the server says, or as soon as this server is gone.
                await Task.WhenAny(Task.Delay(response.Headers.RetryAfter?.Delta ?? RetryWithoutHint), life.Down.Task);
            }
        }
        return $"call {id}: not acknowledged after {MaxAttempts} attempts; last: {last}";
    }

    /// <summary>
    /// Every call is in the journal: run once and finished, or interrupted mid-run and never run again. The side file
    /// holds each finished call's line once, an interrupted call's at most once, and nothing else.
    /// </summary>
    private async Task AssertEveryCallRecordedOnceAsync(ServerProcess server)
    {
        var ends = await Task.WhenAll(_acknowledged.Keys.Select(async id =>
        {
            // A resubmission that waits is how an agent learns its call's end; it must be the existing call (200).
            var agent = id[..id.LastIndexOf("-call-", StringComparison.Ordinal)];
            var (status, call) = await server.PostAsync("/v1/calls", new
            {
                id, agentId = agent, sessionId = $"session-{agent}", tool = "Bash",
                input = new Dictionary<string, string> { ["command"] = $"echo {id} >> side.txt" },
                cwd = _setup.Project, intent = "execute", wait = Patience.TotalSeconds,
            });
            var (read, events) = await server.GetAsync($"/v1/calls/{id}/events");
            return (Id: id, Status: status, Call: call, Read: read, Events: events);
        }));

        // Read once every call has ended: a call acknowledged with 202 may have been running until just now.
        var lines = File.Exists(SideFile) ? File.ReadAllLines(SideFile) : [];
        var repeated = lines.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(repeated.Count == 0, "commands ran twice: " + string.Join(", ", repeated.Take(10)));
        Assert.Empty(lines.Except(_acknowledged.Keys));

        var outcomes = new Dictionary<string, int>();
        var problems = ends.Select(end =>
        {
            var (id, status, call, read, events) = end;
            if (status != 200) return $"{id}: resubmitted, {status} {call}";
            if (read != 200) return $"{id}: events {read} {events}";
            // A call acknowledged as finished stays exactly that through every later crash.
            if (_acknowledged[id] == "completed" && Text(call, "status") != "completed") return $"{id}: acknowledged completed, now {call}";
            var types = events.GetProperty("events").EnumerateArray().Select(e => Text(e, "type")).ToList();
            var started = types.Count(t => t == "execution-started.v1");
            var outcome = Text(call, "outcome");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            var ran = lines.Count(l => l == id);
            return (Text(call, "status"), outcome) switch
            {
                ("completed", "allowed-and-ran") when started == 1 && types.Contains("execution-finished.v1") && ran == 1 => null,
                ("interrupted", "interrupted") when started == 1 && types.Contains("call-interrupted.v1")
                                                   && !types.Contains("execution-finished.v1") && ran <= 1 => null,
                _ => $"{id}: {Text(call, "status")}/{outcome}, lines {ran}, events [{string.Join(", ", types)}]",
            };
        });
        var wrong = problems.Where(p => p is not null).ToList();
        output.WriteLine($"{_cutOff} requests cut off by {Kills} kills; outcomes {string.Join(", ", outcomes)}");
        Assert.True(wrong.Count == 0, $"{wrong.Count} calls wrong (outcomes {string.Join(", ", outcomes)}):\n{string.Join('\n', wrong.Take(10))}");
    }
}
