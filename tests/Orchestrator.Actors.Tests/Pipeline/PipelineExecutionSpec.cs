using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A <see cref="WorkspacePipelineSpec"/> whose calls execute: the policy of the execution specs and their helpers.</summary>
public abstract class PipelineExecutionSpec(ITestOutputHelper output, string workspacePrefix) : WorkspacePipelineSpec(output, workspacePrefix)
{
    protected static new readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected override PolicyCatalog Policies => PolicyCatalog.Of(PolicyLoader.Load(new PolicyLoadOptions(Workspace.FullName)
    {
        HomeDirectory = Home,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        // Workspace writes (the side-effect file below is written by a redirection) run inside the sandbox unasked.
        ApprovalPolicy = "on-request",
        AskRules = ["Bash(printf:*)"],
        AllowRules = ["Bash(fail-async)", "Bash(throw-sync)", "Bash(unavailable)", "Bash(sandbox-fails:*)", "Bash(creates:*)"], // scripts of the scripted sandbox
    }));

    protected ToolCall Call(string tool, string key, string value) =>
        new(new CallId(Guid.NewGuid().ToString("n")), tool, ImmutableDictionary<string, string>.Empty.Add(key, value),
            Workspace.FullName, new AgentId("agent-1"), new SessionId("exec-1"));

    protected ToolCall Bash(string command) => Call(ToolNames.Bash, ToolInputKeys.Command, command);

    protected static void AssertFinished(CallSnapshot done, CallOutcome outcome)
    {
        Assert.True(done.State.Outcome == outcome,
            $"expected {outcome}, got {done.State.Status} {done.State.Outcome}: {done.State.Completion?.Detail ?? done.State.Interruption?.Reason}");
    }

    /// <summary>Submits <paramref name="command"/> for execution and waits for its end.</summary>
    protected async Task<CallSnapshot> RunAsync(string command)
    {
        var sessions = await SessionsAsync();
        var call = Bash(command);
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        try
        {
            return await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), TimeSpan.FromSeconds(15));
        }
        catch (AskTimeoutException)
        {
            var now = await sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
            throw new Xunit.Sdk.XunitException($"'{command}' never finished: {now.State.Status}");
        }
    }

    /// <summary>Runs <c>echo first</c>, then <c>echo second</c>, and reads the first call back by get and by watch.</summary>
    protected async Task<(CallSnapshot First, CallSnapshot Read, CallSnapshot Watched)> RunTwiceAndReadTheFirstAsync()
    {
        var sessions = await SessionsAsync();
        var first = await RunAsync("echo first");
        var call = first.State.Call!;
        await RunAsync("echo second");
        var read = await sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
        var watched = await sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
        return (first, read, watched);
    }
}
