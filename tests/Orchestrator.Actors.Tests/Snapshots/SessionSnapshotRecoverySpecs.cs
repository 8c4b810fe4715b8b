using System.Collections.Concurrent;
using System.Collections.Immutable;
using CsCheck;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>
/// For random histories of many sessions (decisions allow, deny and ask, approvals answered or left pending, calls of
/// one session written concurrently), sessions snapshotting every few events on a real SQLite journal: a restart from
/// the snapshots plus the later events answers exactly what a restart from the events alone answers.
/// </summary>
public sealed class SessionSnapshotRecoverySpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SnapshotEvery = 3 };

    private static readonly Gen<SessionAct[]> Histories =
        Gen.Select(Gen.Enum<SessionAct>().Where(a => a is SessionAct.Allow or SessionAct.Deny or SessionAct.Ask), Gen.Enum<SessionAct>().Array[0, 24],
            (first, rest) => (SessionAct[])[first, .. rest]);

    [Fact]
    public async Task A_session_snapshot_plus_later_events_recovers_the_same_state_as_the_events_alone()
    {
        var sessions = await SessionsAsync();
        var written = new ConcurrentDictionary<SessionId, ImmutableArray<CallId>>();
        var next = 0;
        await Histories.SampleAsync(async acts =>
        {
            var session = new SessionId($"snap-{Interlocked.Increment(ref next)}");
            written[session] = await SessionHistory.PlayAsync(sessions, session, acts, Patience);
        }, iter: 24, threads: 4);

        await AwaitConditionAsync(() => Task.FromResult(SnapshotRow.Settled(Backend, Pipeline.SnapshotEvery!.Value)), Patience);
        var snapshots = Backend.ReadSnapshotRows();
        Output?.WriteLine($"{written.Count} sessions, {written.Values.Sum(c => c.Length)} calls, {snapshots.Count} snapshots");
        Assert.Contains(snapshots, s => s.SequenceNr < Backend.ReadSessionRows().Where(r => r.PersistenceId == s.PersistenceId).Max(r => r.SequenceNr));

        ImmutableDictionary<SessionId, ImmutableArray<string>> fromSnapshots, fromEvents;
        await using (var restarted = await RestartAsync())
            fromSnapshots = await ReadAllAsync(restarted.Sessions, written);
        Assert.Equal(snapshots, Backend.ReadSnapshotRows());
        Backend.Execute("DELETE FROM snapshot");
        await using (var eventsAlone = await PipelineTestHost.StartAsync(Backend.Options, Policies, Pipeline))
            fromEvents = await ReadAllAsync(eventsAlone.Sessions, written);

        Assert.All(written.Keys, session => Assert.Equal(fromEvents[session], fromSnapshots[session]));
    }

    private async Task<ImmutableDictionary<SessionId, ImmutableArray<string>>> ReadAllAsync(
        Akka.Actor.IActorRef sessions, IReadOnlyDictionary<SessionId, ImmutableArray<CallId>> written)
    {
        var read = await Task.WhenAll(written.Select(async w => (w.Key, Lines: await SessionHistory.ReadAsync(sessions, w.Key, w.Value, Patience))));
        return read.ToImmutableDictionary(r => r.Key, r => r.Lines);
    }
}
