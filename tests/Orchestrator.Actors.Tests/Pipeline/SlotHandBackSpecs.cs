using Akka.Actor;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// Slots taken by sessions without a message are given back as soon as a run is over (not once its end is written),
/// and still when a session crashes.
/// </summary>
public sealed class SlotHandBackSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    private readonly Execution.ScriptedSandbox _sandbox = new();

    protected override PolicyCatalog Policies => PolicyCatalog.Of(PolicyLoader.Load(new PolicyLoadOptions(PipelinePolicy.Project)
    {
        HomeDirectory = Path.GetTempPath(),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        AllowRules = ["Bash(block:*)"],
    }));

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => _sandbox, MaxRuns = 1, MaxRunsPerAgent = 1 };

    private static ToolCall Block(string agent, string gate) =>
        PipelinePolicy.Bash($"session-{agent}", $"block {gate}", id: gate) with { Agent = new AgentId(agent) };

    [Fact]
    public async Task A_session_that_crashes_while_its_call_runs_gives_its_slot_to_the_next_agent()
    {
        var sessions = await SessionsAsync();
        var slots = await RegisteredAsync<ExecutionSlots>();
        await sessions.Ask<CallAccepted>(new SubmitCall(Block("agent-a", "a1"), CallIntent.Execute), Patience);
        await _sandbox.GateNamed("a1").Started.Task.WaitAsync(Patience);
        await sessions.Ask<CallAccepted>(new SubmitCall(Block("agent-b", "b1"), CallIntent.Execute), Patience);
        // Accepted means decided and recorded; b's request for a slot follows that reply, so wait for it to queue.
        await AwaitAssertAsync(async () => Assert.Equal((1, 1), await UsageAsync(slots)), Patience);

        var crashing = await Sys.ActorSelection($"/user/orchestrator/sessions/session-agent-a").ResolveOne(Patience);
        crashing.Tell(Kill.Instance);

        await _sandbox.GateNamed("b1").Started.Task.WaitAsync(Patience);
        Assert.Equal((1, 0), await UsageAsync(slots));
        var a1 = await sessions.Ask<CallSnapshot>(new WatchCall(new SessionId("session-agent-a"), new CallId("a1")), Patience);
        Assert.Equal(CallOutcome.Interrupted, a1.State.Outcome);
        _sandbox.GateNamed("b1").Release("b done");
        var b1 = await sessions.Ask<CallSnapshot>(new WatchCall(new SessionId("session-agent-b"), new CallId("b1")), Patience);
        Assert.Equal(CallOutcome.AllowedAndRan, b1.State.Outcome);
    }

    [Fact]
    public async Task A_finished_run_frees_its_slot_while_its_end_is_still_being_written()
    {
        var sessions = await SessionsAsync();
        var slots = await RegisteredAsync<ExecutionSlots>();
        await sessions.Ask<CallAccepted>(new SubmitCall(Block("agent-a", "a1"), CallIntent.Execute), Patience);
        await _sandbox.GateNamed("a1").Started.Task.WaitAsync(Patience);
        Assert.Equal((1, 0), await UsageAsync(slots));

        // Another connection holds SQLite's write lock: the journal cannot write the run's end until it lets go.
        using (var writeLock = new SqliteConnection($"Data Source={Backend.Sqlite.DatabasePath};Pooling=False"))
        {
            writeLock.Open();
            using (var begin = writeLock.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }
            _sandbox.GateNamed("a1").Release("a done");

            await AwaitAssertAsync(async () => Assert.Equal((0, 0), await UsageAsync(slots)), Patience);
            using var written = writeLock.CreateCommand();
            written.CommandText = "SELECT count(*) FROM journal WHERE manifest LIKE 'execution-finished%'";
            Assert.Equal(0L, (long)written.ExecuteScalar()!);
        }

        var a1 = await sessions.Ask<CallSnapshot>(new WatchCall(new SessionId("session-agent-a"), new CallId("a1")), Patience);
        Assert.Equal(CallOutcome.AllowedAndRan, a1.State.Outcome);
    }

    private static async Task<(int Running, int Waiting)> UsageAsync(IActorRef slots)
    {
        var usage = await slots.Ask<SlotUsage>(GetSlotUsage.Instance, Patience);
        return (usage.Running, usage.Waiting);
    }
}
