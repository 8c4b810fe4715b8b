using System.Collections.Concurrent;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>The session actor on a real SQLite journal: automatic decisions, idempotent submission, recovery.</summary>
public sealed class AgentSessionSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    [Fact]
    public async Task Read_only_bash_call_decided_only_is_accepted_and_completes_allowed()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("s1", "ls -la");

        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        Assert.Equal(call.Id, accepted.CallId);
        Assert.Equal(CallStatus.Completed, accepted.State.Status);
        Assert.Equal(CallOutcome.DecidedOnly, accepted.State.Outcome);
        Assert.Equal(Decision.Allow, accepted.State.Decision);
    }

    [Fact]
    public async Task Denied_call_completes_denied()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("s1", "curl https://example.com");

        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);

        Assert.Equal(Decision.Deny, accepted.State.Decision);
        Assert.Equal(CallOutcome.Denied, accepted.State.Outcome);
    }

    [Fact]
    public async Task Resubmitting_the_same_call_id_returns_the_existing_call()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("s1", "ls");

        var first = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);
        var again = await sessions.Ask<CallAlreadyExists>(new SubmitCall(call with { Input = call.Input.SetItem("command", "pwd") }, CallIntent.DecideOnly), Patience);

        Assert.Equal(first.State, again.State);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "call-received-and-decided.v2");
    }

    [Fact]
    public async Task Concurrent_resubmissions_record_one_call()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("s1", "ls");

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            sessions.Ask<object>(new SubmitCall(call, CallIntent.DecideOnly), Patience)));

        Assert.Single(answers.OfType<CallAccepted>());
        Assert.Equal(4, answers.OfType<CallAlreadyExists>().Count());
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "call-received-and-decided.v2");
    }

    [Fact]
    public async Task Events_are_in_the_journal_under_the_session_with_our_manifests()
    {
        await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("journal-1", "ls"), CallIntent.DecideOnly), Patience);

        var rows = Backend.ReadSessionRows();
        Assert.All(rows, r => Assert.Equal("session-journal-1", r.PersistenceId));
        // The automatic path ends the call in the same single event (receipt, decision, completion).
        Assert.Equal(["call-received-and-decided.v2"], rows.Select(r => r.Manifest));
        Assert.All(rows, r => Assert.Equal(Orchestrator.Actors.Journal.SealedEventSerializer.SerializerId, r.SerializerId));
    }

    [Fact]
    public async Task Unknown_call_is_not_found()
    {
        var sessions = await SessionsAsync();

        await sessions.Ask<CallNotFound>(new GetCall(new SessionId("s1"), new CallId("nope")), Patience);
    }

    [Fact]
    public async Task A_new_host_on_the_same_data_directory_returns_the_same_state()
    {
        var call = PipelinePolicy.Bash("restart-1", "curl https://example.com");
        var before = (await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience)).State;

        // What a new host reads back is what is proved: a second host for the restarted phase.
        await using (var restarted = await RestartAsync())
        {
            var after = await restarted.Sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
            Assert.Equal(Summary(before), Summary(after.State));
        }
    }

    [Fact]
    public async Task Execution_started_without_finish_recovers_as_interrupted_and_records_it()
    {
        var call = PipelinePolicy.Bash("crash-1", "ls");
        var verdict = VerdictSummary.From(new PolicyEvaluator(PipelinePolicy.Snapshot()).Evaluate(call));
        Assert.Equal(Decision.Allow, verdict.Decision);
        var pipeline = new CallPipeline(new PipelineSettings { Executes = true });
        var now = DateTimeOffset.UtcNow;
        var submitted = pipeline.Next(CallState.New(call.Id), new CallInput.Submitted(call, CallIntent.Execute, now));
        var received = pipeline.Next(submitted.State, new CallInput.PolicyAnswered(verdict, now));
        var started = pipeline.Next(received.State, new CallInput.ExecutionPlanned(new RecordedPlan("none", "digest"), now));
        Assert.Contains(started.Effects, e => e is CallEffect.Execute);

        // A throwaway writer under the session's persistence id, as if the server died while the process ran; the
        // session, never started in this system, then recovers from that journal as a restarted server's would.
        await WriteAndStopAsync(AgentSessionActor.PersistenceIdOf(call.Session), [.. received.Events, .. started.Events]);

        var snapshot = await (await SessionsAsync()).Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
        Assert.Equal(CallStatus.Interrupted, snapshot.State.Status);
        Assert.Equal(CallOutcome.Interrupted, snapshot.State.Outcome);
        await AwaitAssertAsync(() => Assert.Equal(
            ["call-received-and-decided.v2", "execution-started.v1", "call-interrupted.v1"],
            Backend.ReadSessionRows().Select(r => r.Manifest)), Patience);
    }

    [Fact]
    public async Task Received_but_undecided_call_is_decided_again_after_recovery()
    {
        var call = PipelinePolicy.Bash("undecided-1", "curl https://example.com");
        var received = new CallReceived(call.Id, call.Agent, call.Session, call, CallIntent.Execute, 0, call.Id.Value, DateTimeOffset.UtcNow);

        await WriteAndStopAsync(AgentSessionActor.PersistenceIdOf(call.Session), [received]);

        var sessions = await SessionsAsync();
        await AwaitAssertAsync(async () =>
        {
            var snapshot = await sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
            Assert.Equal(CallOutcome.Denied, snapshot.State.Outcome);
        }, Patience);
        Assert.Equal(["call-received.v1", "call-decided.v1", "call-completed.v1"], Backend.ReadSessionRows().Select(r => r.Manifest));
    }

    [Fact]
    public async Task A_decision_recorded_after_the_call_was_interrupted_is_recovered_as_its_decision_and_the_call_stays_interrupted()
    {
        var call = PipelinePolicy.Bash("decided-late-1", "ls");
        var now = DateTimeOffset.UtcNow;
        var received = new CallReceived(call.Id, call.Agent, call.Session, call, CallIntent.Execute, 0, call.Id.Value, now);
        var interrupted = new CallInterrupted(call.Id, "restart", now.AddSeconds(1));
        var decided = new CallDecided(call.Id, VerdictSummary.From(new PolicyEvaluator(PipelinePolicy.Snapshot()).Evaluate(call)), [], null, now.AddSeconds(2));

        // History and replay take such a decision as the call's; the session's own recovery must not call its journal broken.
        await WriteAndStopAsync(AgentSessionActor.PersistenceIdOf(call.Session), [received, interrupted, decided]);

        var snapshot = await (await SessionsAsync()).Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
        Assert.Equal(CallStatus.Interrupted, snapshot.State.Status);
        Assert.Equal(decided, snapshot.State.Decided);
        Assert.Equal(["call-received.v1", "call-interrupted.v1", "call-decided.v1"], Backend.ReadSessionRows().Select(r => r.Manifest));
    }

    [Fact]
    public async Task Two_hundred_calls_from_twenty_sessions_in_parallel_are_accepted_and_recoverable()
    {
        var calls = Enumerable.Range(0, 200).Select(i => PipelinePolicy.Bash($"load-{i % 20}", i % 2 == 0 ? "ls" : "curl x")).ToList();
        var accepted = new ConcurrentDictionary<CallId, CallState>();
        var sessions = await SessionsAsync();
        await Task.WhenAll(calls.Select(async c =>
        {
            var answer = await sessions.Ask<CallAccepted>(new SubmitCall(c, CallIntent.DecideOnly), Patience);
            accepted[c.Id] = answer.State;
        }));
        Assert.Equal(200, accepted.Count);
        Assert.Equal(20, Backend.ReadSessionRows().Select(r => r.PersistenceId).Distinct().Count());

        // Recovery by a new host is what is proved: a second host for the restarted phase.
        await using (var restarted = await RestartAsync())
        {
            var recovered = await Task.WhenAll(calls.Select(c => restarted.Sessions.Ask<CallSnapshot>(new GetCall(c.Session, c.Id), Patience)));
            Assert.All(recovered, r => Assert.Equal(Summary(accepted[r.State.CallId]), Summary(r.State)));
        }
    }

    /// <summary>What must survive a restart (records holding immutable dictionaries compare those by reference).</summary>
    private static string Summary(CallState s) =>
        $"{s.CallId}|{s.Status}|{s.Outcome}|{s.Decision}|{s.Decided?.Verdict.Reason}|{s.Call?.InputValue("command")}|" +
        $"{s.Received?.ReceivedAt:O}|{s.Completion?.Detail}|{s.Completion?.CompletedAt:O}";

    private sealed record RecordedPlan(string SandboxKind, string ProfileDigest) : IExecutionPlan;
}
