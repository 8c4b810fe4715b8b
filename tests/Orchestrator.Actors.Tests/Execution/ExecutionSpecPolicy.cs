using System.Collections.Immutable;
using Orchestrator.Actors.Execution;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>A policy over a temp project (no managed or user layers) and calls and plans against it.</summary>
public static class ExecutionSpecPolicy
{
    public static readonly string Project = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "orchestrator-specs", "execution-project")).FullName;

    public static PolicySnapshot Snapshot(string? project = null) => PolicyLoader.Load(new PolicyLoadOptions(project ?? Project)
    {
        HomeDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "orchestrator-specs", "execution-home")).FullName,
        ManagedSettingsPath = null,
        UserSettingsPath = null,
    });

    public static ToolCall Call(string tool, ImmutableDictionary<string, string> input, string? cwd = null) =>
        new(new CallId(Guid.NewGuid().ToString("n")), tool, input, cwd ?? Project, new AgentId("agent-1"), new SessionId("s1"));

    public static ToolCall Bash(string command, string? timeout = null, string? cwd = null)
    {
        var input = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command);
        return Call(ToolNames.Bash, timeout is null ? input : input.Add(ExecutionPlanner.TimeoutInputKey, timeout), cwd);
    }

    public static ExecutionPlan PlanOf(ExecutionPlanOutcome outcome) => outcome switch
    {
        ExecutionPlanOutcome.Planned planned => planned.Plan,
        ExecutionPlanOutcome.Refused refused => throw new Xunit.Sdk.XunitException($"expected a plan, got a refusal: {refused.Reason}"),
        _ => throw new InvalidOperationException(),
    };

    public static ExecuteCall Execute(ICommandSandbox sandbox, string command, SandboxMode mode = SandboxMode.WorkspaceWrite)
    {
        var call = Bash(command);
        return new ExecuteCall(call.Id, PlanOf(ExecutionPlanner.Plan(call, mode, NetworkAccess.Off, Snapshot(), sandbox)));
    }
}
