using System.Collections.Immutable;
using Akka.Event;
using Akka.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>The snapshot path on PostgreSQL: sealed snapshots in the schema's snapshot table, recovery from them, and a tampered one refused.</summary>
public sealed class PostgresSessionSnapshotSpecs(ITestOutputHelper output) : JournalSpec<PostgresBackend>(PostgresBackend.FromEnvironment(), output)
{
    private static readonly PolicyCatalog Policies = PolicyCatalog.Of(PipelinePolicy.Snapshot());
    private static readonly PipelineOptions Pipeline = PipelineOptions.Default with { SnapshotEvery = 2 };
    private static readonly SessionId Tampered = new("pg-tampered");
    private static readonly SessionId Untouched = new("pg-untouched");

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        base.ConfigureAkka(builder, provider);
        builder.WithOrchestratorPipeline(Policies, Pipeline);
    }

    [Fact]
    public async Task Sessions_recover_from_their_sealed_snapshots_and_a_tampered_one_is_refused_for_its_events()
    {
        var sessions = await PipelineRegistry.WhenRegisteredAsync<SessionRouter>(ActorRegistry, Patience);
        SessionAct[] acts = [SessionAct.Ask, SessionAct.Allow, SessionAct.Deny, SessionAct.Ask, SessionAct.Approve, SessionAct.Ask, SessionAct.Allow];
        var calls = ImmutableDictionary<SessionId, ImmutableArray<CallId>>.Empty
            .Add(Tampered, await SessionHistory.PlayAsync(sessions, Tampered, acts, Patience))
            .Add(Untouched, await SessionHistory.PlayAsync(sessions, Untouched, acts, Patience));
        var expected = await ReadAsync(sessions, calls);
        await AwaitConditionAsync(() => Task.FromResult(SnapshotRow.Settled(Backend, Pipeline.SnapshotEvery!.Value)), Patience);
        await StopTestKitSystemAsync();
        var rows = Backend.ReadSnapshotRows();
        Assert.Equal(2, rows.Count);

        await using (var restarted = await PipelineTestHost.StartAsync(Backend.Options, Policies, Pipeline))
            Assert.Equal(expected, await ReadAsync(restarted.Sessions, calls));

        var row = rows.Single(r => r.PersistenceId == AgentSessionActor.PersistenceIdOf(Tampered));
        var edited = row.Payload.ToArray();
        edited[^1] ^= 0x01;
        Assert.Equal(1, Backend.Execute($"UPDATE {Backend.SnapshotTable} SET snapshot = @s WHERE persistence_id = @p", ("@s", edited), ("@p", row.PersistenceId)));

        var gate = new TaskCompletionSource();
        await using var again = await PipelineTestHost.StartAsync(Backend.Options, Policies, Pipeline with { RecoveryGate = gate.Task });
        var probe = CreateTestProbe(again.System);
        again.System.EventStream.Subscribe(probe.Ref, typeof(Warning));
        gate.SetResult();
        Assert.Equal(expected, await ReadAsync(again.Sessions, calls));
        Warning warning;
        do warning = await probe.ExpectMsgAsync<Warning>(Patience);
        while (warning.Message?.ToString()?.Contains(row.PersistenceId, StringComparison.Ordinal) != true);
        var line = warning.Message.ToString()!;
        Output?.WriteLine(line);
        Assert.Contains("PostgreSQL", line, StringComparison.Ordinal);
        Assert.Contains($"the snapshot of {row.PersistenceId} at event #{row.SequenceNr} has a seal that does not match", line, StringComparison.Ordinal);
    }

    private async Task<ImmutableDictionary<SessionId, ImmutableArray<string>>> ReadAsync(
        Akka.Actor.IActorRef sessions, ImmutableDictionary<SessionId, ImmutableArray<CallId>> calls)
    {
        var read = ImmutableDictionary<SessionId, ImmutableArray<string>>.Empty;
        foreach (var (session, ids) in calls) read = read.Add(session, await SessionHistory.ReadAsync(sessions, session, ids, Patience));
        return read;
    }
}
