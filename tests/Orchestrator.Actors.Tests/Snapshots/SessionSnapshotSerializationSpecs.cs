using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>A session snapshot is stored with the strict event contract under its own stable manifest, and reads back as the states it was taken of.</summary>
public sealed class SessionSnapshotSerializationSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private OrchestratorEventSerializer Serializer =>
        new((ExtendedActorSystem)Sys, EventTypeRegistry.Discover([typeof(TestThingHappened).Assembly]));

    private static CallState Fold(params CallEvent[] events) => CallLifecycle.Replay(events[0].CallId, events);

    private static CallReceived Received(ToolCall call) => new(call.Id, call.Agent, call.Session, call, CallIntent.Execute, 0, call.Id.Value, T0);

    private static CallDecided Decided(CallId id, Decision decision) => new(id,
        new VerdictSummary(decision, ReasonClass.RuleAsk, "because", null, null,
            new RecordedMode(SandboxMode.WorkspaceWrite, ApprovalPolicy.OnRequest, NetworkAccess.Off, false, true), "v1"),
        [], null, T0);

    private static ApprovalRequested Requested(ToolCall call, string approval, int level) => new(call.Id, new ApprovalId(approval), call.Agent,
        call.Session, call.ToolName, "git push", "Bash: git push", ReasonClass.RuleAsk, "asks", GrantScope.Once, "leads", level, T0, T0.AddMinutes(10));

    /// <summary>A call waiting on its second request after the first timed out and escalated; a call that ran, with its output.</summary>
    private static (CallState Waiting, CallState Ran, ExecutionResult Output) States()
    {
        var asked = PipelinePolicy.Bash("s-1", "git push", "call-ask");
        var waiting = Fold(Received(asked), Decided(asked.Id, Decision.Ask), Requested(asked, "approval-1", 0),
            new ApprovalTimedOut(asked.Id, new ApprovalId("approval-1"), T0.AddMinutes(10), "leads", T0.AddMinutes(10)),
            Requested(asked, "approval-2", 1));
        var ls = PipelinePolicy.Bash("s-1", "ls", "call-ran");
        var result = new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 3, 0, false, false, "sha256:o", "sha256:e",
            Output: new RecordedOutput(new KeptStream("b3V0", ""), new KeptStream("", "")));
        var ran = Fold(Received(ls), Decided(ls.Id, Decision.Allow), new ExecutionStarted(ls.Id, "none", "sha256:p", T0),
            new ExecutionFinished(ls.Id, result, T0.AddSeconds(1)), new CallCompleted(ls.Id, CallOutcome.AllowedAndRan, 0, null, T0.AddSeconds(1)));
        return (waiting, ran, result);
    }

    [Fact]
    public void A_session_snapshot_round_trips_under_its_manifest_as_the_states_it_was_taken_of()
    {
        var (waiting, ran, output) = States();
        var snapshot = SessionSnapshot.Of(new AgentId("agent-1"), [waiting, ran, CallState.New(new CallId("in-flight"))], [new KeptOutput(ran.CallId, output)]);

        var bytes = Serializer.ToBinary(snapshot);
        var back = (SessionSnapshot)Serializer.FromBinary(bytes, Serializer.Manifest(snapshot));

        Assert.Equal("session-snapshot.v1", Serializer.Manifest(snapshot));
        Assert.Equal(new AgentId("agent-1"), back.Owner);
        Assert.Equal([Json(waiting), Json(ran)], back.Calls.Select(c => Json(c.ToState())));
        Assert.Equal(AwaitingApproval(waiting), AwaitingApproval(back.Calls[0].ToState()));
        Assert.Equal(Json(output), Json(Assert.Single(back.Outputs).Result));
        Assert.DoesNotContain("\"work\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_never_carries_in_flight_work_or_this_process_knowledge()
    {
        var (waiting, _, _) = States();
        var busy = waiting with { Work = new CallWork { Runnable = waiting.Call, Awaiting = AwaitedStage.Policy }, OriginalInputLost = true };

        var back = (SessionSnapshot)Serializer.FromBinary(Serializer.ToBinary(SessionSnapshot.Of(null, [busy], [])), "session-snapshot.v1");

        var state = Assert.Single(back.Calls).ToState();
        Assert.Null(state.Work);
        Assert.False(state.OriginalInputLost);
        Assert.Equal(Json(waiting), Json(state));
    }

    [Fact]
    public void A_snapshot_with_a_member_the_contract_does_not_know_is_refused()
    {
        var (waiting, _, _) = States();
        var json = Encoding.UTF8.GetString(Serializer.ToBinary(SessionSnapshot.Of(null, [waiting], [])))
            .Replace("\"owner\":null", "\"owner\":null,\"extra\":1", StringComparison.Ordinal);

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(Encoding.UTF8.GetBytes(json), "session-snapshot.v1"));
    }

    private static string AwaitingApproval(CallState s) =>
        $"{s.Status} {s.PendingApproval?.ApprovalId} {string.Join(",", s.TimedOutApprovals.Keys.Order())} {s.LastApproval?.EscalationLevel}";

    private static string Json(object value) => JsonSerializer.Serialize(value is CallState s ? SnapshotCall.From(s) : value, EventJsonOptions.Default);
}
