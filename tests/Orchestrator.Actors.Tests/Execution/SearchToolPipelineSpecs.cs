using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>The real Glob and Grep executors through the whole pipeline: judged, run, recorded in the journal.</summary>
public sealed class SearchToolPipelineSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-search-tools-")
{
    private async Task<CallSnapshot> RunAsync(ToolCall call)
    {
        var sessions = await SessionsAsync();
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        return await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
    }

    private ToolCall SearchCall(string tool, string pattern, params (string Key, string Value)[] more)
    {
        var call = Call(tool, ToolInputKeys.Pattern, pattern);
        return call with { Input = more.Aggregate(call.Input.Add(ToolInputKeys.Path, Workspace.FullName), (input, kv) => input.Add(kv.Key, kv.Value)) };
    }

    [Fact]
    public async Task Glob_and_grep_run_in_process_and_are_recorded_with_what_they_searched()
    {
        File.WriteAllText(Path.Combine(Workspace.FullName, "found.txt"), "a needle here\n");

        var glob = await RunAsync(SearchCall(ToolNames.Glob, "*.txt"));
        var grep = await RunAsync(SearchCall(ToolNames.Grep, "needle", ("output_mode", "content")));

        foreach (var done in new[] { glob, grep })
        {
            AssertFinished(done, CallOutcome.AllowedAndRan);
            Assert.Equal(ToolPlan.SandboxKindName, done.State.Execution!.SandboxKind);
            Assert.Equal(0, done.State.Finished!.Result.ExitCode);
        }
        var found = Path.Combine(Workspace.FullName, "found.txt");
        Assert.Equal(found, glob.Output!.Stdout);
        Assert.Equal($"{found}:1:a needle here", grep.Output!.Stdout);
        Assert.Equal("1", glob.State.Finished!.Result.Tool!.Details!["matched"]);
        var recorded = System.Text.Encoding.UTF8.GetString(Backend.ReadSessionRows().Last(r => r.Manifest == "execution-finished.v1").Payload);
        Assert.Contains(grep.State.Finished!.Result.Tool!.Details!["engine"], recorded);
    }

    [Fact]
    public async Task A_grep_with_bad_input_fails_before_anything_starts()
    {
        var done = await RunAsync(SearchCall(ToolNames.Grep, "x", ("output_mode", "lines")));

        AssertFinished(done, CallOutcome.Failed);
        Assert.Contains("output_mode", done.State.Completion!.Detail);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }
}
