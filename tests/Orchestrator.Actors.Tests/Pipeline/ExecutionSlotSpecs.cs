using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Global and per-agent caps on concurrent executions: calls beyond them wait, recorded and shown as queued.</summary>
public sealed class ExecutionSlotSpecs(ITestOutputHelper output) : WorkspacePipelineSpec(output, "orchestrator-slots-")
{
    private readonly Execution.ScriptedSandbox _sandbox = new();

    protected override PolicyCatalog Policies => PolicyCatalog.Of(PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Home,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        AllowRules = ["Bash(block:*)"],
    }));

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => _sandbox, MaxRuns = 2, MaxRunsPerAgent = 1 };

    private ToolCall Block(string agent, string gate) => new(new CallId(gate), ToolNames.Bash,
        ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, $"block {gate}"), Workspace.FullName,
        new AgentId(agent), new SessionId($"session-{agent}"));

    private async Task<CallState> SubmitAsync(ToolCall call) =>
        (await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience)).State;

    private async Task<CallState> StateAsync(ToolCall call) =>
        (await (await SessionsAsync()).Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience)).State;

    private Task AwaitStatusAsync(ToolCall call, CallStatus status) =>
        AwaitAssertAsync(async () => Assert.Equal(status, (await StateAsync(call)).Status), Patience);

    private async Task<CallState> FinishedAsync(ToolCall call) =>
        (await (await SessionsAsync()).Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience)).State;

    [Fact]
    public async Task Calls_beyond_the_per_agent_and_global_caps_wait_as_queued_and_run_in_fair_turn_as_slots_free()
    {
        var (a1, a2, b1, c1) = (Block("agent-a", "a1"), Block("agent-a", "a2"), Block("agent-b", "b1"), Block("agent-c", "c1"));

        await SubmitAsync(a1);
        await _sandbox.GateNamed("a1").Started.Task.WaitAsync(Patience);
        await SubmitAsync(a2);
        await AwaitStatusAsync(a2, CallStatus.Queued);
        // agent-a is at its own cap, yet agent-b's call is not held behind it.
        await SubmitAsync(b1);
        await _sandbox.GateNamed("b1").Started.Task.WaitAsync(Patience);
        await SubmitAsync(c1);
        await AwaitStatusAsync(c1, CallStatus.Queued);

        var queuedA2 = (await StateAsync(a2)).Queued!;
        Assert.Contains("agent agent-a has 1 runs going (at most 1 per agent)", queuedA2.Reason);
        Assert.Contains("(at most 2 at once)", (await StateAsync(c1)).Queued!.Reason);
        var usage = await (await RegisteredAsync<ExecutionSlots>()).Ask<SlotUsage>(GetSlotUsage.Instance, Patience);
        Assert.Equal((2, 2), (usage.Running, usage.Waiting));
        Assert.False(_sandbox.GateNamed("a2").Started.Task.IsCompleted);

        _sandbox.GateNamed("a1").Release("a1 done");
        await _sandbox.GateNamed("a2").Started.Task.WaitAsync(Patience);
        Assert.Equal(CallStatus.Queued, (await StateAsync(c1)).Status);
        _sandbox.GateNamed("b1").Release("b1 done");
        await _sandbox.GateNamed("c1").Started.Task.WaitAsync(Patience);
        _sandbox.GateNamed("a2").Release("a2 done");
        _sandbox.GateNamed("c1").Release("c1 done");

        foreach (var call in new[] { a1, a2, b1, c1 })
            Assert.Equal(CallOutcome.AllowedAndRan, (await FinishedAsync(call)).Outcome);
        var manifests = Backend.ReadJournalRows().Where(r => r.PersistenceId == "session-session-agent-a").Select(r => r.Manifest).ToList();
        Assert.Equal(1, manifests.Count(m => m == "execution-queued.v1"));
        Assert.Equal(2, manifests.Count(m => m == "execution-started.v1"));
    }
}
