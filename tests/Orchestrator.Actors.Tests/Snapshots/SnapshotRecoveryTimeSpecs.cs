using System.Diagnostics;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>
/// The measurement behind BENCHMARKS.md's snapshot figure: how long one session of 10,000 events takes to wake (replay
/// and verify) from its latest snapshot, and from its events alone; both wake to the same session. Timings are written
/// to the test output, never asserted.
/// </summary>
public sealed class SnapshotRecoveryTimeSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    private const int Events = 10_000;
    private static readonly SessionId Session = new("ten-thousand");

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SnapshotEvery = 1000 };

    [Fact]
    public async Task A_session_of_ten_thousand_events_wakes_from_its_snapshot_as_from_its_events()
    {
        var sessions = await SessionsAsync();
        do
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
                sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash(Session.Value, i % 2 == 0 ? "ls" : "curl x"), CallIntent.DecideOnly), Patience)));
        }
        while (Backend.ReadSessionRows().Count < Events);
        // A tail of events after the latest snapshot, replayed on top of it.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash(Session.Value, "ls"), CallIntent.DecideOnly), Patience)));
        await AwaitConditionAsync(() => Task.FromResult(SnapshotRow.Settled(Backend, Pipeline.SnapshotEvery!.Value)), Patience);
        await StopTestKitSystemAsync();
        var events = Backend.ReadSessionRows().Count;
        var snapshot = Assert.Single(Backend.ReadSnapshotRows());

        var (fromSnapshot, awakeFromSnapshot) = await WakeAsync();
        Backend.Execute("DELETE FROM snapshot");
        var (fromEvents, awakeFromEvents) = await WakeAsync();

        Assert.Equal(awakeFromEvents, awakeFromSnapshot);
        Output?.WriteLine($"session of {events} events: wakes in {fromSnapshot.TotalMilliseconds:F0} ms from its snapshot at #{snapshot.SequenceNr} " +
                          $"({snapshot.Payload.Length / 1024} KiB, {events - snapshot.SequenceNr} events after it), " +
                          $"{fromEvents.TotalMilliseconds:F0} ms from its events alone");
    }

    private async Task<(TimeSpan Took, SessionAwake Awake)> WakeAsync()
    {
        // Start-up recovery held back for good: the session wakes on the message, and only its own recovery is timed.
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, Policies, Pipeline with { RecoveryGate = new TaskCompletionSource().Task });
        var clock = Stopwatch.StartNew();
        var awake = await host.Sessions.Ask<SessionAwake>(new WakeSession(Session), TimeSpan.FromSeconds(60));
        return (clock.Elapsed, awake);
    }
}
