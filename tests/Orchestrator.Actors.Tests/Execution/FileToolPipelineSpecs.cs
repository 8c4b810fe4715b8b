using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>The real Read, Write and Edit executors through the whole pipeline: judged, run, recorded in the journal.</summary>
public sealed class FileToolPipelineSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-file-tools-")
{
    protected override PolicyCatalog Policies => PolicyCatalog.Of(PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Home,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        ApprovalPolicy = "on-request",
        AskRules = ["Read(./private/**)"],
        DenyRules = ["Edit(./frozen/**)", "Read(./secret.txt)"],
    }));

    private async Task<CallSnapshot> RunAsync(ToolCall call)
    {
        var sessions = await SessionsAsync();
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        return await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
    }

    private ToolCall FileCall(string tool, string relative, params (string Key, string Value)[] more)
    {
        var call = Call(tool, ToolInputKeys.FilePath, Path.Combine(Workspace.FullName, relative));
        return call with { Input = more.Aggregate(call.Input, (input, kv) => input.Add(kv.Key, kv.Value)) };
    }

    [Fact]
    public async Task Write_then_edit_then_read_run_in_process_and_are_recorded_with_digests_diff_and_range()
    {
        var write = await RunAsync(FileCall(ToolNames.Write, "notes.txt", ("content", "hello\nworld\n")));
        var edit = await RunAsync(FileCall(ToolNames.Edit, "notes.txt", ("old_string", "world"), ("new_string", "there")));
        var read = await RunAsync(FileCall(ToolNames.Read, "notes.txt"));

        foreach (var done in new[] { write, edit, read })
        {
            AssertFinished(done, CallOutcome.AllowedAndRan);
            Assert.Equal(ToolPlan.SandboxKindName, done.State.Execution!.SandboxKind);
            Assert.Equal(0, done.State.Finished!.Result.ExitCode);
        }
        Assert.Equal("hello\nthere\n", File.ReadAllText(Path.Combine(Workspace.FullName, "notes.txt")));
        Assert.Equal("     1\thello\n     2\tthere\n", read.Output!.Stdout);
        Assert.Contains("-world\n+there\n", edit.State.Finished!.Result.Tool!.Diff);
        Assert.Equal(write.State.Finished!.Result.Tool!.AfterDigest, edit.State.Finished.Result.Tool.BeforeDigest);
        Assert.Equal(12, read.State.Finished!.Result.Tool!.RangeEnd);
        var recorded = System.Text.Encoding.UTF8.GetString(Backend.ReadSessionRows().Last(r => r.Manifest == "execution-finished.v1").Payload);
        Assert.Contains(read.State.Finished.Result.Tool.Digest!, recorded);
    }

    [Fact]
    public async Task Read_and_edit_rules_decide_file_tools_as_they_decide_shell_commands()
    {
        Directory.CreateDirectory(Path.Combine(Workspace.FullName, "private"));
        File.WriteAllText(Path.Combine(Workspace.FullName, "private/plan.txt"), "the plan\n");
        File.WriteAllText(Path.Combine(Workspace.FullName, "secret.txt"), "s3cret\n");
        var sessions = await SessionsAsync();

        var denied = await RunAsync(FileCall(ToolNames.Read, "secret.txt"));
        var frozen = await RunAsync(FileCall(ToolNames.Write, "frozen/a.txt", ("content", "x")));
        var asking = FileCall(ToolNames.Read, "private/plan.txt");
        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(asking, CallIntent.Execute), Patience);

        AssertFinished(denied, CallOutcome.Denied);
        AssertFinished(frozen, CallOutcome.Denied);
        Assert.False(Directory.Exists(Path.Combine(Workspace.FullName, "frozen")));
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        await (await RegisteredAsync<ApprovalBroker>()).Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(
            new ApprovalAnswer(accepted.State.PendingApproval!.ApprovalId, true, GrantScope.Once, null, "alice")), Patience);
        var approved = await sessions.Ask<CallSnapshot>(new WatchCall(asking.Session, asking.Id), Patience);
        AssertFinished(approved, CallOutcome.AllowedAndRan);
        Assert.Equal("     1\tthe plan\n", approved.Output!.Stdout);
    }

    [Fact]
    public async Task A_bad_input_fails_the_call_before_anything_starts_and_changes_nothing()
    {
        var done = await RunAsync(FileCall(ToolNames.Edit, "x.txt", ("old_string", "a"), ("new_string", "a")));

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("old_string and new_string are the same", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
        Assert.False(File.Exists(Path.Combine(Workspace.FullName, "x.txt")));
    }
}
