using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;
using Orchestrator.Sandbox.Tools;

// Read/Edit calls per second: each of N agents alternates a Read of its own 200-line file and an Edit of it, for S
// seconds, either through a running `orchestrator serve` (POST /v1/calls, intent execute, wait) or directly in process
// (the same executors on the same files, no pipeline). Usage: FileToolBench http|direct PROJECT AGENTS SECONDS [URL]
var (mode, project, agents, seconds) = (args[0], args[1], int.Parse(args[2]), double.Parse(args[3]));
var url = args.Length > 4 ? args[4] : null;
for (var i = 0; i < agents; i++)
    File.WriteAllText(FileOf(i), string.Concat(Enumerable.Range(1, 200).Select(l => l == 100 ? "value = 0\n" : $"line {l} of the file of agent {i}\n")));

var policy = PolicyLoader.Load(new PolicyLoadOptions(project) { ManagedSettingsPath = null, UserSettingsPath = null, ApprovalPolicy = "on-request" });
var profile = SandboxProfileFactory.FromPolicy(policy, SandboxMode.WorkspaceWrite, NetworkAccess.Off);
using var http = url is null ? null : new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
var latencies = new List<double>[agents];
var failures = 0;
var started = Stopwatch.GetTimestamp();
await Task.WhenAll(Enumerable.Range(0, agents).Select(agent => Task.Run(async () =>
{
    var mine = latencies[agent] = [];
    for (var n = 0; Stopwatch.GetTimestamp() < deadline; n++)
    {
        var (tool, input) = n % 2 == 0
            ? (ToolNames.Read, ImmutableDictionary<string, string>.Empty.Add("file_path", FileOf(agent)))
            : (ToolNames.Edit, ImmutableDictionary<string, string>.Empty.Add("file_path", FileOf(agent))
                .Add("old_string", $"value = {n / 2}\n").Add("new_string", $"value = {n / 2 + 1}\n"));
        var t0 = Stopwatch.GetTimestamp();
        var ok = mode == "http" ? await OverHttp(agent, n, tool, input) : await Directly(tool, input);
        mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        if (!ok) Interlocked.Increment(ref failures);
    }
})));
var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
Console.WriteLine($"{mode}: {agents} agents, {all.Length} calls in {elapsed:0.0} s = {all.Length / elapsed:0} calls/s; " +
                  $"p50 {all[all.Length / 2]:0.0} ms, p99 {all[(int)(all.Length * 0.99)]:0.0} ms; failed {failures}");
return failures == 0 ? 0 : 1;

string FileOf(int agent) => Path.Combine(project, $"agent-{agent}.txt");

async Task<bool> Directly(string tool, ImmutableDictionary<string, string> input)
{
    var call = new ToolCall(new CallId(Guid.NewGuid().ToString("n")), tool, input, project, new AgentId("bench"), new SessionId("bench"));
    var outcome = await ToolExecutors.Standard.For(tool)!.RunAsync(new ToolRun(call, profile, policy, NetworkAccess.Off, ToolLimits.Default), CancellationToken.None);
    return outcome.Succeeded;
}

async Task<bool> OverHttp(int agent, int n, string tool, ImmutableDictionary<string, string> input)
{
    var response = await http!.PostAsJsonAsync("/v1/calls", new
    {
        id = $"a{agent}-{n}-{Guid.NewGuid():n}", agentId = $"agent-{agent}", sessionId = $"agent-{agent}", tool, input, cwd = project,
        intent = "execute", wait = 30,
    });
    if (!response.IsSuccessStatusCode) return false;
    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return body.RootElement.GetProperty("outcome").GetString() == "allowed-and-ran" && body.RootElement.GetProperty("exitCode").GetInt32() == 0;
}
