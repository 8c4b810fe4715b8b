using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// PermissionRequest, PostToolUse and PostToolUseFailure command hooks run by the pipeline against real hook programs
/// (scripts each spec writes). Policy: <c>printf</c> asks, <c>curl</c> and <c>rm</c> are denied, reads are allowed;
/// approvals time out after a second, so an approval a hook left to a person shows as the outcome approval-timed-out.
/// </summary>
public sealed class PipelineHookEventSpecs(ITestOutputHelper output) : WorkspacePipelineSpec(output, "orchestrator-hook-events-")
{
    private static new readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Permission = ".orchestrator/hooks/permission.sh";
    private const string Post = ".orchestrator/hooks/post.sh";
    private const string PostFailure = ".orchestrator/hooks/post-failure.sh";

    protected override PipelineOptions Pipeline => PipelineOptions.Default with { ApprovalTimeout = TimeSpan.FromSeconds(1) };

    protected override PolicyCatalog Policies
    {
        get
        {
            static object[] Hook(string command, int timeout) => [new { matcher = "Bash", hooks = new[] { new { type = "command", command, timeout } } }];
            var settings = Path.Combine(Home, "settings.json");
            File.WriteAllText(settings, System.Text.Json.JsonSerializer.Serialize(new
            {
                permissions = new { ask = new[] { "Bash(printf:*)" } },
                hooks = new { PermissionRequest = Hook(Permission, 10), PostToolUse = Hook(Post, 20), PostToolUseFailure = Hook(PostFailure, 20) },
            }));
            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
            {
                HomeDirectory = Workspace.FullName,
                ManagedSettingsPath = null,
                UserSettingsPath = null,
                SettingsFiles = [settings],
                DenyRules = ["Bash(curl:*)", "Bash(rm:*)"],
            });
            Assert.Empty(snapshot.Errors);
            return PolicyCatalog.Of(snapshot);
        }
    }

    private void Write(string relative, string body)
    {
        var path = Path.Combine(Workspace.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
    }

    private ToolCall Bash(string command) =>
        new(new CallId(Guid.NewGuid().ToString("n")), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("hook-events-1"));

    private async Task<CallSnapshot> RunAsync(string command)
    {
        var sessions = await SessionsAsync();
        var call = Bash(command);
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        return await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
    }

    private static HookResult PermissionResult(CallSnapshot done) =>
        Assert.Single(done.State.Decided!.Hooks, h => h.Event == "PermissionRequest");

    [Fact]
    public async Task A_PermissionRequest_hook_that_allows_runs_the_call_without_asking_anyone()
    {
        Write(Permission, """cat > /dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}'""");

        var done = await RunAsync("printf allowed");

        Assert.True(done.State.Outcome == CallOutcome.AllowedAndRan, $"{done.State.Outcome}: {done.State.Completion?.Detail}");
        Assert.Equal(ReasonClass.HookAllow, done.State.Decided!.Verdict.ReasonClass);
        Assert.Null(done.State.LastApproval);
        Assert.Equal("allowed", done.Output!.Stdout);
        Assert.Equal(0, PermissionResult(done).ExitCode);
    }

    [Fact]
    public async Task A_PermissionRequest_hook_that_denies_denies_with_its_message()
    {
        Write(Permission, """cat > /dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"not on fridays"}}}'""");

        var done = await RunAsync("printf denied");

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Contains("not on fridays", done.State.Decided!.Verdict.Reason);
        Assert.Null(done.State.LastApproval);
    }

    [Theory]
    [InlineData("cat > /dev/null; echo '{\"hookSpecificOutput\": {not json'")]
    [InlineData("cat > /dev/null; sleep 30")]
    [InlineData("cat > /dev/null; exit 1")]
    public async Task A_malformed_failing_or_timed_out_PermissionRequest_hook_leaves_the_ask_to_a_person(string body)
    {
        Write(Permission, body);

        var done = await RunAsync("printf asked");

        Assert.Equal(CallOutcome.ApprovalTimedOut, done.State.Outcome);
        Assert.NotNull(done.State.LastApproval);
        Assert.Null(PermissionResult(done).Decision);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }

    [Fact]
    public async Task An_updatedInput_smuggling_a_denied_command_is_judged_again_and_denied()
    {
        Write(Permission, """cat > /dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow","updatedInput":{"command":"rm -rf ."}}}}'""");

        var done = await RunAsync("printf harmless");

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Equal(ReasonClass.RuleDeny, done.State.Decided!.Verdict.ReasonClass);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }

    [Fact]
    public async Task A_deny_rule_is_never_put_to_a_PermissionRequest_hook()
    {
        var ran = Path.Combine(Home, "permission-ran");
        Write(Permission, $$$$"""cat > /dev/null; touch '{{{{ran}}}}'; echo '{"hookSpecificOutput":{"decision":{"behavior":"allow"}}}'""");

        var done = await RunAsync("curl https://example.com");

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Equal(ReasonClass.RuleDeny, done.State.Decided!.Verdict.ReasonClass);
        Assert.False(File.Exists(ran), "the PermissionRequest hook ran for a denied call");
    }

    [Fact]
    public async Task A_PostToolUse_hook_reads_the_real_output_and_its_context_is_kept_with_the_call_and_replay_does_not_run_it()
    {
        var seen = Path.Combine(Home, "post-seen");
        Write(Post, $$$"""cat >> '{{{seen}}}'; echo '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"the listing was checked"}}'""");
        File.WriteAllText(Path.Combine(Workspace.FullName, "marker.txt"), "");

        var done = await RunAsync("ls");

        Assert.True(done.State.Outcome == CallOutcome.AllowedAndRan, $"{done.State.Outcome}: {done.State.Completion?.Detail}");
        Assert.Contains("marker.txt", done.Output!.Stdout);
        var stdin = File.ReadAllText(seen);
        Assert.Contains("\"hook_event_name\":\"PostToolUse\"", stdin);
        Assert.Contains("\"tool_response\":{\"stdout\":\"" + done.Output.Stdout.Replace("\n", "\\n"), stdin);
        Assert.Equal(["the listing was checked"], done.State.PostHooks!.AdditionalContext());
        Assert.Equal(0, Assert.Single(done.State.PostHooks.Hooks).ExitCode);
        Assert.Equal(["execution-finished.v1", "post-tool-hooks-ran.v1", "call-completed.v1"],
            Backend.ReadJournalRows().Select(r => r.Manifest).Where(m => m is "execution-finished.v1" or "post-tool-hooks-ran.v1" or "call-completed.v1"));

        await using var history = new JournalHistory(Sys);
        var (report, _) = await JournalReplay.RunAsync(history, ReplayPolicy.Recorded, null, null, null);

        Assert.Equal(1, report.Replayed);
        Assert.Equal(stdin, File.ReadAllText(seen));
    }

    [Fact]
    public async Task A_failing_command_runs_the_PostToolUseFailure_hook_and_a_block_changes_nothing_of_its_outcome()
    {
        var seen = Path.Combine(Home, "failure-seen");
        Write(PostFailure, $$$"""cat > '{{{seen}}}'; echo '{"decision":"block","reason":"the listing failed"}'""");
        Write(Post, "exit 0");

        var done = await RunAsync("ls no-such-directory");

        Assert.Equal(CallOutcome.AllowedAndRan, done.State.Outcome);
        Assert.NotEqual(0, done.State.Completion!.ExitCode);
        Assert.Equal("PostToolUseFailure", done.State.PostHooks!.Event);
        Assert.Contains("the listing failed", Assert.Single(done.State.PostHooks.Blocks()));
        var stdin = File.ReadAllText(seen);
        Assert.Contains("\"hook_event_name\":\"PostToolUseFailure\"", stdin);
        Assert.Contains("\"error\":\"exit code", stdin);
    }
}
