using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A new call id is claimed in the call index's shared table without a message once every recorded call is in it;
/// before that, the claim goes through the index, which waits for the journal's sessions.
/// </summary>
public sealed class DirectClaimSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    private readonly PolicyEvaluator _evaluator = new(PipelinePolicy.Snapshot());

    /// <summary>A session whose policy is a probe answered with the real evaluator, and whose call index is <paramref name="index"/>.</summary>
    private (IActorRef Session, Akka.TestKit.TestProbe Policy) SessionWith(string session, IActorRef index, CallIdTable table)
    {
        var policy = CreateTestProbe();
        var services = new SessionServices(policy.Ref, CreateTestProbe().Ref, index, PipelineOptions.Default) { CallIds = table };
        return (Sys.ActorOf(AgentSessionActor.Props(new SessionId(session), services)), policy);
    }

    private void AnswerPolicy(Akka.TestKit.TestProbe policy)
    {
        var request = policy.ExpectMsg<EvaluateCall>(Patience);
        policy.LastSender.Tell(new CallEvaluated(request.Call.Id, _evaluator.Evaluate(request.Call)));
    }

    [Fact]
    public async Task Once_the_table_is_complete_a_new_id_is_claimed_in_it_without_asking_the_index()
    {
        var index = CreateTestProbe();
        var table = new CallIdTable(complete: true);
        var (session, policy) = SessionWith("direct-1", index, table);

        var answer = session.Ask<object>(new SubmitCall(PipelinePolicy.Bash("direct-1", "ls", id: "direct-call"), CallIntent.DecideOnly), Patience);
        AnswerPolicy(policy);

        Assert.IsType<CallAccepted>(await answer);
        Assert.Equal(new SessionId("direct-1"), table.SessionOf(new CallId("direct-call")));
        Assert.False(index.HasMessages);
    }

    [Fact]
    public async Task An_id_another_session_holds_in_the_table_is_refused_as_taken_and_nothing_is_recorded()
    {
        var table = new CallIdTable(complete: true);
        table.Register(new CallId("shared-id"), new SessionId("first"));
        var (session, policy) = SessionWith("second", CreateTestProbe(), table);

        var answer = await session.Ask<object>(new SubmitCall(PipelinePolicy.Bash("second", "ls", id: "shared-id"), CallIntent.DecideOnly), Patience);

        Assert.Equal(new CallIdTaken(new CallId("shared-id"), new SessionId("first")), answer);
        Assert.False(policy.HasMessages);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.PersistenceId == "session-second");
    }

    [Fact]
    public async Task An_id_recorded_before_start_is_claimed_through_the_index_which_finds_its_session_in_the_directory()
    {
        var table = new CallIdTable(complete: false);
        var directory = new FixedCallDirectory(new Dictionary<CallId, CallPlace> { [new CallId("recorded-elsewhere")] = new(new SessionId("recovered"), 1, 2) });
        var index = Sys.ActorOf(CallIndex.Props(table, directory));
        var (session, policy) = SessionWith("late", index, table);

        var answer = await session.Ask<object>(new SubmitCall(PipelinePolicy.Bash("late", "ls", id: "recorded-elsewhere"), CallIntent.DecideOnly), Patience);

        Assert.Equal(new CallIdTaken(new CallId("recorded-elsewhere"), new SessionId("recovered")), answer);
        Assert.True(directory.Lookups > 0);
        Assert.False(policy.HasMessages);
    }

    [Fact]
    public async Task Of_many_sessions_submitting_one_id_at_once_exactly_one_records_it()
    {
        var sessions = await SessionsAsync();
        await RecoveredAsync();
        var id = "contested-" + Guid.NewGuid().ToString("n");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            sessions.Ask<object>(new SubmitCall(PipelinePolicy.Bash($"contender-{i}", "ls", id: id) with { Agent = new AgentId($"agent-{i}") }, CallIntent.DecideOnly), Patience)));

        var winner = Assert.Single(answers.OfType<CallAccepted>());
        Assert.All(answers.Where(a => a is not CallAccepted), a => Assert.Equal(winner.State.Call!.Session, Assert.IsType<CallIdTaken>(a).Holder));
        Assert.Single(Backend.ReadJournalRows().Select(r => r.PersistenceId).Where(p => p.StartsWith("session-contender-", StringComparison.Ordinal)).Distinct());
    }
}
