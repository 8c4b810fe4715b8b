using Akka.Hosting;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The durable approval index the journal keeps beside the call directory (orchestrator_approvals), on every backend:
/// a request is unsettled from the write that records it until its answer or timeout is written, an approving
/// session/always answer until the broker's grant is written; a call waiting only for an operator does not make its
/// session one to wake; a row that points elsewhere is refused with its session woken; an older journal fills it at start.
/// </summary>
public abstract class ApprovalIndexSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private string ApprovalTable => Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.ApprovalTableName;

    private static CallReceived Received(string call, string session) =>
        (CallReceived)SampleValues.Create(typeof(CallReceived))! with { CallId = new CallId(call), Session = new SessionId(session) };

    private static CallCompleted Completed(string call) =>
        (CallCompleted)SampleValues.Create(typeof(CallCompleted))! with { CallId = new CallId(call) };

    private static ApprovalRequested Requested(string call, string approval, string session) =>
        (ApprovalRequested)SampleValues.Create(typeof(ApprovalRequested))! with
        {
            CallId = new CallId(call), ApprovalId = new ApprovalId(approval), Session = new SessionId(session),
        };

    private static ApprovalAnswered Answered(string call, string approval, bool approved, GrantScope scope) =>
        (ApprovalAnswered)SampleValues.Create(typeof(ApprovalAnswered))! with
        {
            CallId = new CallId(call), ApprovalId = new ApprovalId(approval), Approved = approved, Scope = scope,
        };

    private static GrantAdded Grant(string approval) =>
        (GrantAdded)SampleValues.Create(typeof(GrantAdded))! with { FromApproval = new ApprovalId(approval) };

    private async Task<long> Persist(string persistenceId, params object[] events)
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(TestEventLog.Props(persistenceId)).Tell(new AppendAll([.. events]), probe.Ref);
        return (await probe.ExpectMsgAsync<Appended>(Patience)).SequenceNr;
    }

    private static IApprovalIndex Index(Akka.Actor.ActorSystem system) => CallDirectory.Get(system);

    [Fact]
    public async Task A_request_is_unsettled_until_answered_and_an_approving_session_answer_until_its_grant_is_written()
    {
        var log = Sys.ActorOf(TestEventLog.Props("session-ix"));
        var probe = CreateTestProbe();
        log.Tell(new AppendAll([Received("c-1", "ix"), Requested("c-1", "a-1", "ix")]), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);

        var pending = Assert.Single((await Index(Sys).UnsettledAsync()).Pending);
        Assert.Equal(new ApprovalId("a-1"), pending.ApprovalId);
        Assert.Empty(await CallDirectory.Get(Sys).SessionsToWakeAsync());

        log.Tell(new AppendAll([Answered("c-1", "a-1", approved: true, GrantScope.Session)]), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);
        await AwaitAssertAsync(async () =>
        {
            var unsettled = await Index(Sys).UnsettledAsync();
            Assert.Empty(unsettled.Pending);
            var (request, answer) = Assert.Single(unsettled.GrantsDue);
            Assert.Equal((new ApprovalId("a-1"), new ApprovalId("a-1")), (request.ApprovalId, answer.ApprovalId));
        }, Patience);

        await Persist(ApprovalBroker.Name, Grant("a-1"));
        await AwaitAssertAsync(async () => Assert.Empty((await Index(Sys).UnsettledAsync()).GrantsDue), Patience);
        Assert.Equal((new SessionId("ix"), new CallId("c-1")), await Index(Sys).FindApprovalAsync(new ApprovalId("a-1")));
        Assert.Null(await Index(Sys).FindApprovalAsync(new ApprovalId("never-issued")));
    }

    [Fact]
    public async Task A_request_answered_in_the_same_write_or_timed_out_or_whose_call_ended_otherwise_is_not_pending()
    {
        await Persist("session-auto", Received("c-auto", "auto"), Requested("c-auto", "a-auto", "auto"),
            Answered("c-auto", "a-auto", approved: true, GrantScope.Once));
        await Persist("session-late", Received("c-late", "late"), Requested("c-late", "a-late", "late"));
        await Persist("session-late", (ApprovalTimedOut)SampleValues.Create(typeof(ApprovalTimedOut))! with
        {
            CallId = new CallId("c-late"), ApprovalId = new ApprovalId("a-late"),
        });
        await Persist("session-gone", Received("c-gone", "gone"), Requested("c-gone", "a-gone", "gone"));
        await Persist("session-gone", Completed("c-gone"));
        await Persist("session-open", Received("c-open", "open"), Requested("c-open", "a-open", "open"));

        await AwaitAssertAsync(async () =>
        {
            var unsettled = await Index(Sys).UnsettledAsync();
            Assert.Equal(["a-open"], unsettled.Pending.Select(p => p.ApprovalId.Value));
            Assert.Empty(unsettled.GrantsDue);
        }, Patience);
        Assert.Equal(1, Backend.Execute($"UPDATE {ApprovalTable} SET grant_due = grant_due WHERE approval_id = @a AND closed_seq = 3", ("@a", "a-auto")));
    }

    [Fact]
    public async Task A_session_that_wrote_anything_after_its_open_request_is_to_be_woken()
    {
        await Persist("session-quiet", Received("c-quiet", "quiet"), Requested("c-quiet", "a-quiet", "quiet"));
        await Persist("session-busy", Received("c-busy", "busy"), Requested("c-busy", "a-busy", "busy"));
        await Persist("session-busy", Received("c-later", "busy"), Completed("c-later"));

        Assert.Equal([new SessionId("busy")], await CallDirectory.Get(Sys).SessionsToWakeAsync());
    }

    [Fact]
    public async Task A_row_pointing_at_another_event_is_not_listed_and_its_session_is_to_be_woken_with_the_reason()
    {
        await Persist("session-moved", Received("c-moved", "moved"), Requested("c-moved", "a-moved", "moved"));
        Assert.Equal(1, Backend.Execute($"UPDATE {ApprovalTable} SET requested_seq = 1 WHERE approval_id = @a", ("@a", "a-moved")));

        var unsettled = await Index(Sys).UnsettledAsync();

        Assert.Empty(unsettled.Pending);
        Assert.Equal([new SessionId("moved")], unsettled.SessionsToWake);
        Assert.Contains("session-moved event #1 is not the ApprovalRequested the approval index points to", Assert.Single(unsettled.Problems));
    }

    [Fact]
    public async Task A_journal_written_before_the_index_existed_fills_it_once_at_start()
    {
        await Persist("session-old", Received("c-old", "old"), Requested("c-old", "a-old", "old"));
        await Persist("session-old2", Received("c-granted", "old2"), Requested("c-granted", "a-granted", "old2"));
        await Persist("session-old2", Answered("c-granted", "a-granted", approved: true, GrantScope.Always));
        await Persist(ApprovalBroker.Name, Grant("a-granted"));
        await Persist("session-old3", Received("c-owed", "old3"), Requested("c-owed", "a-owed", "old3"));
        await Persist("session-old3", Answered("c-owed", "a-owed", approved: true, GrantScope.Session));
        await StopTestKitSystemAsync();
        Backend.Execute($"DROP TABLE {ApprovalTable}");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        var unsettled = await Index(host.System).UnsettledAsync();

        Assert.Equal(["a-old"], unsettled.Pending.Select(p => p.ApprovalId.Value));
        Assert.Equal(["a-owed"], unsettled.GrantsDue.Select(g => g.Request.ApprovalId.Value));
        Assert.Equal((new SessionId("old2"), new CallId("c-granted")), await Index(host.System).FindApprovalAsync(new ApprovalId("a-granted")));
        // The answered calls are unfinished and wait for no operator: their sessions wake; the one waiting does not.
        Assert.Equal(["old2", "old3"], (await CallDirectory.Get(host.System).SessionsToWakeAsync()).Select(s => s.Value).Order());
    }

    [Fact]
    public async Task At_start_the_broker_tells_every_live_always_grant_to_the_rule_writer_and_a_revoked_or_session_one_never()
    {
        GrantAdded Added(string approval, GrantScope scope, string rule) => Grant(approval) with
        {
            GrantId = GrantId.FromApproval(new ApprovalId(approval)), Scope = scope, RuleText = rule, Workspace = "/ws/a",
        };
        var revokedGrant = Added("a-revoked", GrantScope.Always, "Bash(make old)");
        await Persist(ApprovalBroker.Name, Added("a-always", GrantScope.Always, "Bash(make deploy)"), Added("a-session", GrantScope.Session, "Bash(ls)"),
            revokedGrant, new GrantRevoked(revokedGrant.GrantId, GrantScope.Always, revokedGrant.RuleText, revokedGrant.Session, "admin", null, DateTimeOffset.UnixEpoch));
        var writer = CreateTestProbe();

        Sys.ActorOf(ApprovalBroker.Props(CreateTestProbe().Ref, alwaysRules: writer.Ref));

        var told = await writer.ExpectMsgAsync<WriteAlwaysRule>(Patience);
        Assert.Equal(new WriteAlwaysRule(GrantId.FromApproval(new ApprovalId("a-always")), "/ws/a", "Bash(make deploy)"), told);
        await writer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }
}

public sealed class SqliteApprovalIndexSpecs(ITestOutputHelper output) : ApprovalIndexSpecs(new SqliteBackend(), output);

public sealed class PostgresApprovalIndexSpecs(ITestOutputHelper output) : ApprovalIndexSpecs(PostgresBackend.FromEnvironment(), output);

/// <summary>The same, with Akka.Persistence.Sql writing the events and the index kept around its writes.</summary>
public sealed class SqliteApprovalIndexAroundAkkaWritesSpecs(ITestOutputHelper output) : ApprovalIndexSpecs(new SqliteBackend(), output)
{
    protected override void ConfigureAkka(Akka.Hosting.AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.AddHocon($"akka.persistence.journal.sql.{IntegrityJournal.OwnWriterSetting} = off", Akka.Hosting.HoconAddMode.Prepend);
        base.ConfigureAkka(builder, provider);
    }
}
