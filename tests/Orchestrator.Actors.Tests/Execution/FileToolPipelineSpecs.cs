using Akka.Actor;
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
    public async Task A_bad_input_fails_the_call_before_anything_starts_and_changes_nothing()
    {
        var done = await RunAsync(FileCall(ToolNames.Edit, "x.txt", ("old_string", "a"), ("new_string", "a")));

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("old_string and new_string are the same", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
        Assert.False(File.Exists(Path.Combine(Workspace.FullName, "x.txt")));
    }
}
