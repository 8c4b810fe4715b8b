using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>A session recovered from a snapshot applies DESIGN §2's recovery table to the open calls it holds, as after a replay of every event.</summary>
public sealed class SnapshotRecoveryTableSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    [Fact]
    public async Task Open_calls_in_a_snapshot_recover_as_the_table_says_an_executing_one_interrupted_an_undecided_one_decided_again()
    {
        var running = PipelinePolicy.Bash("snap-table", "ls");
        var undecided = PipelinePolicy.Bash("snap-table", "curl https://example.com");
        var now = DateTimeOffset.UtcNow;
        var pipeline = new CallPipeline(new PipelineSettings { Executes = true });
        var submitted = pipeline.Next(CallState.New(running.Id), new CallInput.Submitted(running, CallIntent.Execute, now));
        var decided = pipeline.Next(submitted.State, new CallInput.PolicyAnswered(VerdictSummary.From(new PolicyEvaluator(PipelinePolicy.Snapshot()).Evaluate(running)), now));
        var started = pipeline.Next(decided.State, new CallInput.ExecutionPlanned(new RecordedPlan("none", "digest"), now));
        Assert.Contains(started.Effects, e => e is CallEffect.Execute);
        CallEvent[] events =
        [
            .. decided.Events, .. started.Events,
            new CallReceived(undecided.Id, undecided.Agent, undecided.Session, undecided, CallIntent.Execute, 0, undecided.Id.Value, now),
        ];

        // A throwaway writer under the session's persistence id, as if the server died with one call running and one
        // undecided, after a snapshot of exactly that; the session, never started in this system, recovers from it.
        var persistenceId = AgentSessionActor.PersistenceIdOf(running.Session);
        var writer = await ThrowawayWriterAsync(persistenceId);
        foreach (var evt in events) await writer.Ask<Appended>(new Append(evt, []), Patience);
        var snapshot = SessionSnapshot.Of(running.Agent, [Fold(running.Id, events), Fold(undecided.Id, events)], []);
        var saved = await writer.Ask<SnapshotSaved>(new SaveSnapshotOf(snapshot), Patience);
        Assert.Equal(events.Length, saved.SequenceNr);
        Watch(writer);
        writer.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(writer, Patience);
        // Only the snapshot's own event is left before it: a recovery that did not start from the snapshot would fail.
        Backend.Execute("DELETE FROM journal WHERE persistence_id = @p AND sequence_number < @n", ("@p", persistenceId), ("@n", saved.SequenceNr));

        var sessions = await SessionsAsync();
        var interrupted = await sessions.Ask<CallSnapshot>(new GetCall(running.Session, running.Id), Patience);
        Assert.Equal(CallOutcome.Interrupted, interrupted.State.Outcome);
        Assert.Equal(CallLifecycle.InterruptedOnRecovery, interrupted.State.Interruption!.Reason);
        await AwaitAssertAsync(async () =>
        {
            var denied = await sessions.Ask<CallSnapshot>(new GetCall(undecided.Session, undecided.Id), Patience);
            Assert.Equal(CallOutcome.Denied, denied.State.Outcome);
        }, Patience);
        Assert.Contains("call-interrupted.v1", Backend.ReadSessionRows().Select(r => r.Manifest));
        Assert.DoesNotContain(Backend.ReadSessionRows(), r => r.Manifest == "execution-finished.v1");
    }

    private static CallState Fold(CallId id, IEnumerable<CallEvent> events) => CallLifecycle.Replay(id, events.Where(e => e.CallId == id));

    private sealed record RecordedPlan(string SandboxKind, string ProfileDigest) : IExecutionPlan;
}
