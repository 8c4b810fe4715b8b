using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Execution;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A session keeps every call here but only the most recent run's output: an older run's output is read back from the
/// journal, so a call reads the same whether or not its output is still in memory.
/// </summary>
public sealed class RecentOutputsSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-outputs-kept-")
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => new ScriptedSandbox(), OutputsKept = 1 };

    [Fact]
    public async Task A_held_call_whose_output_left_the_recent_ones_is_read_with_its_output_from_the_journal()
    {
        var sessions = await SessionsAsync();
        var first = await RunAsync("echo first");
        var call = first.State.Call!;

        await RunAsync("echo second");
        var read = await sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
        var watched = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(2, (await sessions.Ask<SessionAwake>(new WakeSession(call.Session), Patience)).Calls);
        Assert.Equal(first.Output, read.Output);
        Assert.Equal("first", watched.Output!.Stdout);
    }
}
