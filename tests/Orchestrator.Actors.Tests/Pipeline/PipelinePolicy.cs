using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A policy for the specs: a temp project, no managed or user layers, <c>curl</c> denied.</summary>
public static class PipelinePolicy
{
    public static readonly string Project = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "orchestrator-specs", "pipeline-project")).FullName;

    public static PolicySnapshot Snapshot(params string[] moreDenyRules) => PolicyLoader.Load(new PolicyLoadOptions(Project)
    {
        HomeDirectory = Path.GetTempPath(),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        DenyRules = ["Bash(curl:*)", .. moreDenyRules],
        AskRules = ["Bash(git push)"],
    });

    public static ToolCall Bash(string session, string command, string? id = null) =>
        new(new CallId(id ?? Guid.NewGuid().ToString("n")), ToolNames.Bash,
            ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command), Project,
            new AgentId("agent-1"), new SessionId(session));
}
