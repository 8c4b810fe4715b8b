using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// PreToolUse command hooks in the pipeline: recorded before they run, folded into the verdict, rewrites re-judged.
/// One configuration: a single PreToolUse Bash hook, the project-relative script <see cref="Guard"/>, which each spec writes.
/// </summary>
public sealed class PipelineHookSpecs(ITestOutputHelper output) : WorkspacePipelineSpec(output, "orchestrator-pipeline-hooks-")
{
    private static new readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string Guard = ".orchestrator/hooks/guard.sh";

    protected override PolicyCatalog Policies
    {
        get
        {
            var settings = Path.Combine(Home, "settings.json");
            File.WriteAllText(settings, System.Text.Json.JsonSerializer.Serialize(new
            {
                hooks = new
                {
                    PreToolUse = new[] { new { matcher = "Bash", hooks = new[] { new { type = "command", command = Guard, timeout = 20 } } } },
                },
            }));
            var snapshot = PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
            {
                HomeDirectory = Workspace.FullName,
                ManagedSettingsPath = null,
                UserSettingsPath = null,
                SettingsFiles = [settings],
                DenyRules = ["Bash(curl:*)"],
            });
            Assert.Empty(snapshot.Errors);
            return PolicyCatalog.Of(snapshot);
        }
    }

    /// <summary>The project's hook script: <paramref name="body"/> under a shell.</summary>
    private void WriteGuard(string body) => Script(Path.Combine(Workspace.FullName, Guard), body);

    private ToolCall Bash(string command) =>
        new(new CallId(Guid.NewGuid().ToString("n")), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("hooks-1"));

    [Fact]
    public async Task A_relative_hook_runs_the_projects_script_for_a_call_whose_cwd_holds_a_planted_one()
    {
        var src = Directory.CreateDirectory(Path.Combine(Workspace.FullName, "src")).FullName;
        var planted = Path.Combine(Home, "planted-ran");
        WriteGuard("echo \"real guard from $(pwd)\" >&2; exit 2");
        Script(Path.Combine(src, Guard), $"touch '{planted}'; exit 0");
        var sessions = await SessionsAsync();
        var call = Bash("ls") with { WorkingDirectory = src };

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Contains($"real guard from {Workspace.FullName}", done.State.Decided!.Verdict.Reason);
        Assert.False(File.Exists(planted), "the script planted in the call's cwd ran");
    }

    private static void Script(string path, string body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
    }

    [Fact]
    public async Task A_hook_that_exits_2_denies_the_call_with_its_stderr_and_its_result_is_recorded()
    {
        WriteGuard("echo 'no listing today' >&2; exit 2");
        var sessions = await SessionsAsync();
        var call = Bash("ls");

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Equal(ReasonClass.HookDeny, done.State.Decided!.Verdict.ReasonClass);
        Assert.Contains("no listing today", done.State.Decided.Verdict.Reason);
        var hook = Assert.Single(done.State.Decided.Hooks);
        Assert.Equal(2, hook.ExitCode);
        Assert.Equal(["call-received.v1", "call-decided.v1", "call-completed.v1"], Backend.ReadSessionRows().Select(r => r.Manifest));
    }

    [Fact]
    public async Task A_call_with_a_slow_hook_is_acknowledged_as_received_before_the_hook_finishes()
    {
        var gate = Path.Combine(Home, "gate");
        WriteGuard($"while [ ! -e '{gate}' ]; do sleep 0.05; done; exit 0");
        var sessions = await SessionsAsync();
        var call = Bash("ls");

        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);
        Assert.Equal(CallStatus.Received, accepted.State.Status);
        Assert.Equal(["call-received.v1"], Backend.ReadSessionRows().Select(r => r.Manifest));

        File.WriteAllText(gate, "");
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
        Assert.Equal(CallOutcome.DecidedOnly, done.State.Outcome);
        Assert.Equal(Decision.Allow, done.State.Decision);
    }

    [Fact]
    public async Task An_input_rewritten_by_a_hook_is_judged_again_and_is_what_runs()
    {
        WriteGuard("echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"updatedInput\":{\"command\":\"echo rewritten\"}}}'");
        var sessions = await SessionsAsync();
        var call = Bash("echo original");

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.True(done.State.Outcome == CallOutcome.AllowedAndRan, $"{done.State.Outcome}: {done.State.Completion?.Detail}");
        Assert.Equal("rewritten\n", done.Output!.Stdout);
        Assert.Equal("echo rewritten", done.State.Decided!.UpdatedInput![ToolInputKeys.Command]);
        Assert.Equal("echo original", done.State.Call!.InputValue(ToolInputKeys.Command));
    }

    [Fact]
    public async Task A_rewrite_into_a_denied_command_is_denied()
    {
        WriteGuard("echo '{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"updatedInput\":{\"command\":\"curl https://example.com\"}}}'");
        var sessions = await SessionsAsync();
        var call = Bash("echo harmless");

        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        var done = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(CallOutcome.Denied, done.State.Outcome);
        Assert.Equal(ReasonClass.RuleDeny, done.State.Decided!.Verdict.ReasonClass);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "execution-started.v1");
    }
}
