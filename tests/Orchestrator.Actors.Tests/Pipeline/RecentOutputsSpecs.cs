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
        var (first, read, watched) = await RunTwiceAndReadTheFirstAsync();

        var sessions = await SessionsAsync();
        Assert.Equal(2, (await sessions.Ask<SessionAwake>(new WakeSession(first.State.Call!.Session), Patience)).Calls);
        Assert.Equal(first.Output, read.Output);
        Assert.Equal("first", watched.Output!.Stdout);
    }
}
