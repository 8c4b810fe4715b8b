using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Execution;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// Below the count kept, a finished call still leaves the session's hot state once it has been held for
/// <see cref="PipelineOptions.FinishedCallKeptFor"/>: one timer per session serves every finished call, woken for the
/// oldest and then for the next.
/// </summary>
public sealed class FinishedCallExpirySpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-expiry-")
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(2);

    protected override PipelineOptions Pipeline => PipelineOptions.Default with
    {
        SandboxFor = _ => new ScriptedSandbox(),
        FinishedCallsKept = 100,
        FinishedCallKeptFor = KeptFor,
    };

    [Fact]
    public async Task Every_finished_call_leaves_the_hot_state_after_the_time_kept_and_is_still_read_from_the_journal()
    {
        var sessions = await SessionsAsync();
        var first = await RunAsync("echo first");
        var second = await RunAsync("echo second");
        var session = first.State.Call!.Session;
        // The second just finished, well within the time kept.
        Assert.NotEqual(0, (await sessions.Ask<SessionAwake>(new WakeSession(session), Patience)).Calls);

        // The timer woke for the first call; the second finished later and is dropped only when its own time is up.
        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await sessions.Ask<SessionAwake>(new WakeSession(session), Patience)).Calls), Patience, KeptFor / 10);

        foreach (var done in new[] { first, second })
        {
            var read = await sessions.Ask<CallSnapshot>(new GetCall(session, done.State.CallId), Patience);
            Assert.Equal(DirectoryRecoverySpecs.Json(done.State), DirectoryRecoverySpecs.Json(read.State));
            Assert.Equal(done.Output, read.Output);
        }
    }
}
